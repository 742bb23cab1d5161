-- Runs once, when the MySQL container starts with an empty data volume
-- (/docker-entrypoint-initdb.d). It creates the database and the account gomall uses; the
-- schema itself comes from `gomall db migrate` (run by `gomall serve --migrate`).
--
-- The password must match GOMALL_DATABASE__PASSWORD in docker-compose.yml. It is a
-- development default: anything reachable by others gets its own password (see deploy/k8s).

CREATE DATABASE IF NOT EXISTS gomall CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE USER IF NOT EXISTS 'gomall'@'%' IDENTIFIED BY 'gomall';
GRANT ALL PRIVILEGES ON gomall.* TO 'gomall'@'%';
-- `gomall backup restore` and `backup verify` load a dump into a scratch database next to the
-- live one (gomall__scratch_<hex>) and swap the tables via gomall__trash_<hex>.
GRANT ALL PRIVILEGES ON `gomall\_\_%`.* TO 'gomall'@'%';
FLUSH PRIVILEGES;
