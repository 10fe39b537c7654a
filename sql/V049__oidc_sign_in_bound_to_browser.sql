-- A started OpenID Connect sign-in belongs to the browser that started it: the start sets a random value in
-- a cookie and keeps only its SHA-256 here, and the callback is refused unless the browser brings that cookie
-- back (login CSRF). Sign-ins under way while this runs were started without the cookie and could not
-- finish: they are dropped, and those people start again.
DELETE FROM oidc_pending_sign_in;
ALTER TABLE oidc_pending_sign_in ADD COLUMN browser_hash BINARY(32) NOT NULL AFTER tenant_key;
