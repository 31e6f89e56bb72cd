// The alert rules under deploy/prometheus as an operator installs them: promtool accepts them, their unit tests
// pass, every rule is shown firing and not firing, and they query only what the module exposes.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { documentedSeriesNames, selectedNames } from '../helpers/documented-metrics.ts'
import { PROJECT_ROOT } from '../helpers/project.ts'
import { prometheusUnavailable, promtool } from '../helpers/prometheus.ts'

const RULES = `${PROJECT_ROOT}deploy/prometheus/alerts.yml`
const RULE_TESTS = `${PROJECT_ROOT}deploy/prometheus/alerts.test.yml`

interface AlertRule {
  readonly alert: string
  readonly expr: string
  readonly for?: string
  readonly labels?: Record<string, string>
  readonly annotations?: Record<string, string>
}
interface RuleTests {
  readonly rule_files: string[]
  readonly tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[]
}

const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap(
  (group) => group.rules,
)
const ruleTests = parse(readFileSync(RULE_TESTS, 'utf8')) as RuleTests

// The situations the operations team asked to be alerted to, each by the rule that covers it.
const EXPECTED_ALERTS = {
  'target down': 'MeshstackTelemetryDown',
  'health DOWN': 'MeshstackHealthDown',
  'database down': 'MeshstackDatabaseDown',
  '5xx ratio': 'MeshstackHighErrorRatio',
  'p99 latency': 'MeshstackHighLatency',
  'relay failing': 'MeshstackRelayFailing',
  'relay dropping events': 'MeshstackRelayDroppingEvents',
  'remote write stalled': 'MeshstackRemoteWriteStalled',
  'remote write dropping samples': 'MeshstackRemoteWriteLosingSamples',
  'disk almost full': 'MeshstackDiskAlmostFull',
  'event loop blocked': 'MeshstackEventLoopBlocked',
}

describe('the shipped alert rules', () => {
  it('cover every situation asked for, each rule once', () => {
    assert.deepEqual(
      rules.map(({ alert }) => alert),
      Object.values(EXPECTED_ALERTS),
    )
  })

  it('each wait with for:, carry a severity, and say what happened and what to look at', () => {
    for (const rule of rules) {
      assert.match(rule.for ?? '', /^\d+[smh]$/, `${rule.alert}: for`)
      assert.ok(['critical', 'warning'].includes(rule.labels?.severity ?? ''), `${rule.alert}: severity`)
      assert.ok((rule.annotations?.summary ?? '').length > 10, `${rule.alert}: summary`)
      assert.ok((rule.annotations?.description ?? '').length > 40, `${rule.alert}: description`)
    }
  })

  it('query only series docs/metrics.md lists (and the up Prometheus adds), of the scrape job they name', () => {
    // `up` is Prometheus's own series for each target it scrapes.
    const documented = new Set([...documentedSeriesNames(), 'up'])
    for (const { alert, expr } of rules) {
      const names = selectedNames(expr)
      assert.ok(names.length > 0, `${alert} selects a metric`)
      assert.deepEqual(
        names.filter((name) => !documented.has(name)),
        [],
        `${alert} queries only documented metrics`,
      )
      const selectors = [...expr.matchAll(/\{([^}]*)\}/g)].map(([, matchers]) => matchers)
      for (const matchers of selectors)
        assert.match(matchers ?? '', /job="meshstack-telemetry"/, `${alert}: every selector names the job`)
    }
  })

  it('are each shown firing for the replica in trouble and silent before their for: has passed', () => {
    assert.deepEqual(ruleTests.rule_files, ['alerts.yml'])
    const checks = ruleTests.tests.flatMap((test) => test.alert_rule_test)
    for (const { alert } of rules) {
      const mine = checks.filter(({ alertname }) => alertname === alert)
      assert.ok(
        mine.some(({ exp_alerts }) => exp_alerts.length > 0),
        `${alert} has a case where it fires`,
      )
      assert.ok(
        mine.some(({ exp_alerts }) => exp_alerts.length === 0),
        `${alert} has a case where it does not`,
      )
    }
  })

  describe('with promtool', { skip: prometheusUnavailable() }, () => {
    it('pass promtool check rules', async () => {
      const { code, output } = await promtool(['check', 'rules', RULES])
      assert.equal(code, 0, output)
      assert.match(output, new RegExp(`SUCCESS: ${rules.length} rules found`))
    })

    it('pass their unit tests with promtool test rules', async () => {
      const { code, output } = await promtool(['test', 'rules', RULE_TESTS])
      assert.equal(code, 0, output)
      assert.match(output, /SUCCESS/)
    })
  })
})
