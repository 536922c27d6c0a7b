import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../../src/core/k8s/manifests';

/** Zero-based line of the first line containing `needle` (after `from`). */
function lineContaining(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i].includes(needle)) return i;
  throw new Error(`no line with ${needle}`);
}

const MULTI = `# shop services
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: web:1
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
---
`;

test('multi-document YAML: every object, in order, with its file', () => {
  const { objects, problems } = parseManifests(MULTI, 'shop.yaml');
  assert.deepEqual(problems, []);
  assert.deepEqual(
    objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`),
    ['Service/web', 'Deployment/web'],
  );
  assert.equal(objects[1].file, 'shop.yaml');
  assert.equal(objects[1].object.spec.template.spec.containers[0].livenessProbe.httpGet.port, 'http');
});

test('lineOf points at the key line of a path, inside the right document', () => {
  const { objects } = parseManifests(MULTI, 'shop.yaml');
  const deployment = objects[1];
  assert.equal(deployment.lineOf([]), lineContaining(MULTI, 'apiVersion: apps/v1'));
  assert.equal(deployment.lineOf(['metadata', 'name']), lineContaining(MULTI, 'name: web', 9));
  assert.equal(deployment.lineOf(['spec', 'template']), lineContaining(MULTI, 'template:'));
  assert.equal(deployment.lineOf(['spec', 'template', 'spec', 'containers', 0]), lineContaining(MULTI, '- name: app'));
  assert.equal(deployment.lineOf(['spec', 'template', 'spec', 'containers', 0, 'livenessProbe']), lineContaining(MULTI, 'livenessProbe:'));
  assert.equal(deployment.lineOf(['spec', 'template', 'spec', 'containers', 0, 'livenessProbe', 'httpGet', 'port']), lineContaining(MULTI, 'port: http'));
  assert.equal(deployment.lineOf(['spec', 'nope']), undefined);
  assert.equal(deployment.lineOf(['spec', 'template', 'spec', 'containers', 5]), undefined);
  assert.equal(objects[0].lineOf(['spec', 'selector', 'app']), lineContaining(MULTI, 'selector: {app: web}'));
});

test('kind: List and *List are flattened; lineOf goes into the item', () => {
  const json = [
    '{',
    '\t"apiVersion": "v1",',
    '\t"kind": "List",',
    '\t"items": [',
    '\t\t{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}},',
    '\t\t{',
    '\t\t\t"apiVersion": "v1",',
    '\t\t\t"kind": "Pod",',
    '\t\t\t"metadata": {',
    '\t\t\t\t"name": "b"',
    '\t\t\t}',
    '\t\t}',
    '\t]',
    '}',
  ].join('\n');
  const { objects, problems } = parseManifests(json, 'list.json');
  assert.deepEqual(problems, []);
  assert.deepEqual(
    objects.map((o) => o.object.metadata.name),
    ['a', 'b'],
  );
  assert.equal(objects[0].lineOf(['metadata', 'name']), 4);
  assert.equal(objects[1].lineOf([]), 5);
  assert.equal(objects[1].lineOf(['metadata', 'name']), 9);

  const podList = parseManifests('apiVersion: v1\nkind: PodList\nitems:\n- kind: Pod\n  metadata: {name: x}\n');
  assert.deepEqual(
    podList.objects.map((o) => o.object.kind),
    ['Pod'],
  );
  assert.equal(podList.objects[0].lineOf(['metadata']), 4);
});

test('Helm template junk: the broken documents are skipped with a problem, the others kept', () => {
  const text = [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: ok1}',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Values.name }}',
    '---',
    '{{- if .Values.enabled }}',
    'apiVersion: v1',
    'kind: ConfigMap',
    '{{- end }}',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: ok2}',
  ].join('\n');
  const { objects, problems } = parseManifests(text, 'chart.yaml');
  assert.deepEqual(
    objects.map((o) => o.object.metadata.name),
    ['ok1', 'ok2'],
  );
  assert.equal(problems.length, 2);
  for (const p of problems) assert.match(p, /^chart\.yaml:\d+: document \d skipped/);
  assert.match(problems[0], /template/);
  assert.equal(objects[1].lineOf(['metadata']), 16);
});

test('non-objects and objects without kind are reported, empty docs ignored', () => {
  const { objects, problems } = parseManifests('---\n- 1\n- 2\n---\nmetadata: {name: x}\n---\n---\n');
  assert.equal(objects.length, 0);
  assert.equal(problems.length, 2);
  assert.match(problems[1], /without "kind"/);
});

test('garbage, empty and non-string input never throw', () => {
  assert.deepEqual(parseManifests(''), { objects: [], problems: [] });
  assert.equal(parseManifests('{"kind": ').problems.length, 1);
  assert.equal(parseManifests('a: [b: {').objects.length, 0);
  assert.deepEqual(parseManifests(undefined as unknown as string), { objects: [], problems: [] });
  // an alias bomb must not hang or throw
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    'kind: Pod',
  ].join('\n');
  assert.doesNotThrow(() => parseManifests(bomb));
  assert.equal(parseManifests(bomb).objects.length, 0);
});

test('CRLF line endings keep lineOf right', () => {
  const text = 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers: []\r\n';
  const [pod] = parseManifests(text).objects;
  assert.equal(pod.lineOf(['spec', 'containers']), 5);
});
