-- The directory's bind password and the OIDC client secret are sealed like personal fields (V047): a
-- database dump alone does not let anyone bind to the company's directory or act as its OIDC client. A
-- sealed value is longer than the secret, so the columns widen.
ALTER TABLE company_sign_in
  MODIFY ldap_bind_password TEXT NULL,
  MODIFY oidc_client_secret TEXT NULL;
