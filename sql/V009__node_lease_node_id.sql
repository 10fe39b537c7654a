-- The identity of the lease's holder: the random node id kept in its data directory (file node-id),
-- written on its first start. Host name and data-directory path do not identify a node: servers on
-- other machines or in containers share both (localhost, /opt/sangdam/data). A lease taken by a
-- version before this one has no id (''), matches no node, and is taken over only once it expires.
ALTER TABLE node_lease ADD COLUMN node_id VARCHAR(32) NOT NULL DEFAULT '' AFTER node_name;
