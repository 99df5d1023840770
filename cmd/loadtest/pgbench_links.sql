-- The links of the load test's cycle numbered 1..N, for submit.pgbench to
-- pick one at random. Run after a load test left its cycle in the database.
DROP TABLE IF EXISTS pgbench_links;
CREATE TABLE pgbench_links AS
    SELECT row_number() OVER (ORDER BY i.id) AS n, i.token_hash
    FROM invitations i JOIN responses r ON r.assignment_id = i.assignment_id;
ALTER TABLE pgbench_links ADD PRIMARY KEY (n);
ANALYZE pgbench_links;
