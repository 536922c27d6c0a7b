/**
 * Each fix is titled by what it does (the kube-probe filter keeps "Add kube-probe filter"), the
 * English title is the rendered message, and every message is in the l10n bundle the editor
 * translates from.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ADD_FILTER_TITLE, filterFixTitle, ignorePortTitle, portsListTitle, type FixTitle } from '../../../src/core/analyze/fixTitles';
import { repoRoot } from './analyzeSupport';

const none = { addsKubeProbeFilter: false, excludedPaths: [], addedFilterPorts: [] };

const cases: { parts: Parameters<typeof filterFixTitle>[0]; title: string }[] = [
  { parts: { ...none, addsKubeProbeFilter: true }, title: 'Add kube-probe filter' },
  {
    parts: { ...none, addsKubeProbeFilter: true, excludedPaths: ['/healthz', '/ready', '/healthz'] },
    title: 'Add kube-probe filter, excluding /healthz, /ready',
  },
  { parts: { ...none, addsKubeProbeFilter: true, addedFilterPorts: [15021] }, title: 'Add kube-probe filter and add 15021 to http_filter.ports' },
  {
    parts: { addsKubeProbeFilter: true, excludedPaths: ['/livez'], addedFilterPorts: [9090, 15021] },
    title: 'Add kube-probe filter, excluding /livez, and add 9090, 15021 to http_filter.ports',
  },
  { parts: { ...none, excludedPaths: ['/health'] }, title: 'Exclude /health from the filter' },
  { parts: { ...none, excludedPaths: ['/health'], addedFilterPorts: [8081] }, title: 'Exclude /health from the filter and add 8081 to http_filter.ports' },
  { parts: { ...none, addedFilterPorts: [15021] }, title: 'Add 15021 to http_filter.ports' },
];

function rendered(title: FixTitle): string {
  return title.titleMessage.message.replace(/\{(\d+)\}/g, (_, i: string) => title.titleMessage.args[Number(i)]);
}

describe('fix titles', () => {
  for (const c of cases) {
    test(c.title, () => {
      const title = filterFixTitle(c.parts);
      assert.equal(title.title, c.title);
      assert.equal(rendered(title), title.title, 'the English title is the message with its arguments');
    });
  }

  test('the filter recipe keeps the title issue 12 names', () => {
    assert.equal(ADD_FILTER_TITLE, 'Add kube-probe filter');
    assert.equal(filterFixTitle({ ...none, addsKubeProbeFilter: true }).title, ADD_FILTER_TITLE);
  });

  test('ignore_ports names the remote probe port, and the local port when port_mapping makes them differ', () => {
    assert.equal(ignorePortTitle(8081, 8081).title, 'Leave probe port 8081 to the pod (ignore_ports)');
    assert.equal(ignorePortTitle(8081, 18081).title, 'Leave probe port 8081 to the pod (ignore_ports: local port 18081)');
  });

  test('every title message is in l10n/bundle.l10n.json', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    const messages = [...cases.map((c) => filterFixTitle(c.parts)), ignorePortTitle(1, 1), ignorePortTitle(1, 2), portsListTitle(1)].map(
      (t) => t.titleMessage.message,
    );
    for (const message of [...messages, 'Fix all probe risks in this file']) assert.ok(message in bundle, `missing from the bundle: ${message}`);
  });
});
