-- Chime schema, version 2, SQLite: the leader lease (cluster chores run on one node).

CREATE TABLE chime_leader (
  name        TEXT PRIMARY KEY,
  node        TEXT NOT NULL,
  lease_until INTEGER NOT NULL
);
