import { readFile } from 'node:fs/promises'
import type { ThrowawayMariaDb } from './mariadb.ts'

export const EXAMPLE_METRICS_FILE = new URL('../../examples/mesh-objects.json', import.meta.url)
const SAMPLE_SCHEMA = new URL('../../examples/sample-schema.sql', import.meta.url)

/** The example metric definitions, as METRICS_SQL_FILE holds them. */
export const exampleSqlMetrics = async () =>
  (JSON.parse(await readFile(EXAMPLE_METRICS_FILE, 'utf8')) as { metrics: [] }).metrics

/**
 * Creates the sample schema with known contents: 3 meshWorkspaces (2, 1 and 0 meshProjects) and 2 meshPlatforms
 * (3 meshTenants on aws-prod, 1 on azure-dev).
 */
export async function loadSampleSchema(db: ThrowawayMariaDb): Promise<void> {
  const schema = await readFile(SAMPLE_SCHEMA, 'utf8')
  await db.query(`USE meshstack; ${schema}
    INSERT INTO workspace (identifier) VALUES ('acme-retail'), ('acme-bank'), ('empty-ws');
    INSERT INTO platform (identifier, platform_type) VALUES ('aws-prod', 'aws'), ('azure-dev', 'azure');
    INSERT INTO project (identifier, workspace_id) VALUES ('shop', 1), ('web', 1), ('ledger', 2);
    INSERT INTO tenant (project_id, platform_id) VALUES (1, 1), (2, 1), (3, 1), (3, 2);`)
}
