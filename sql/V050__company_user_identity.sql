-- A user the company signed in is bound to who the directory says they are, not to a username that another
-- person of the directory may come to hold: for OpenID Connect the provider's issuer and the person's sub,
-- for LDAP the entry's objectGUID (Active Directory) or entryUUID, else its DN (company_issuer then names
-- the kind: objectGUID, entryUUID or dn). Accounts made by the directory before this are bound at their
-- next sign-in. company_identity is the SHA-256 of the tenant key, sign-in, issuer and subject: one
-- identity, at most one account per tenant.
ALTER TABLE app_user
  ADD COLUMN company_issuer VARCHAR(500) NULL,
  ADD COLUMN company_subject VARCHAR(1000) NULL,
  ADD COLUMN company_identity BINARY(32) NULL,
  ADD UNIQUE KEY uk_user_company_identity (company_identity);
