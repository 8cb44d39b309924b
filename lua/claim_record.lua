-- claim_record: on a cluster, records the place a join took under the key claim.lua claimed.
-- KEYS[1] = usher:idem:<scoped key>
-- ARGV: fingerprint, ttl_ms, token, position, memo
-- Returns: 1
join_claim_record(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return 1
