-- Chime schema, version 2, PostgreSQL: the leader lease (cluster chores run on one node).

CREATE TABLE chime_leader (
  name        text PRIMARY KEY,
  node        text NOT NULL,
  lease_until timestamptz NOT NULL
);
