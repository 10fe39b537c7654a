-- The custom role a user holds, if any (issue 19). app_user.role then names the role's base, so
-- clients that know only the built-in roles keep working. The key refuses deleting a held role.
ALTER TABLE app_user
  ADD COLUMN custom_role_id BIGINT NULL AFTER role,
  ADD CONSTRAINT fk_user_custom_role FOREIGN KEY (custom_role_id) REFERENCES custom_role (id);
