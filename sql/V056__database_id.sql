-- The database's own name (issue 20): made once, with the schema, and kept by a backup and its restore. Every
-- node's search index commits it with where its reading stands, so an index directory that was made from another
-- database (copied from another installation, or left over from a database since dropped and made anew) is rebuilt
-- instead of read on at positions that belong to another message table.
CREATE TABLE database_id (
  id         CHAR(36)    NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO database_id (id, created_at) VALUES (UUID(), UTC_TIMESTAMP(3));
