-- A pared-down meshStack schema: enough for the example metric queries in mesh-objects.json.
-- The test suite creates it in a throwaway MariaDB; real installations have the full schema.
CREATE TABLE workspace (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  identifier VARCHAR(255) NOT NULL UNIQUE
);
CREATE TABLE platform (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  identifier VARCHAR(255) NOT NULL UNIQUE,
  platform_type VARCHAR(64) NOT NULL
);
CREATE TABLE project (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  identifier VARCHAR(255) NOT NULL,
  workspace_id BIGINT NOT NULL REFERENCES workspace (id),
  UNIQUE (workspace_id, identifier)
);
CREATE TABLE tenant (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  project_id BIGINT NOT NULL REFERENCES project (id),
  platform_id BIGINT NOT NULL REFERENCES platform (id)
);
