-- Bureau-sharded deployment (README "Province and national roll-up"). On a coordinator: the shard
-- servers, and which shard holds each bureau. Empty on a single node and on every shard.
CREATE TABLE cluster_shard (
  shard  text PRIMARY KEY CHECK (shard ~ '^shard[0-9]+$'),
  url    text NOT NULL
);

CREATE TABLE bureau_placement (
  bureau_id  text PRIMARY KEY,
  shard      text NOT NULL REFERENCES cluster_shard (shard),
  placed_at  timestamptz NOT NULL DEFAULT now()
);
