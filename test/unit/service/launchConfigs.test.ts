import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfigOf, mirrordLaunches, mirrordLaunchOf, resolveLaunchPath, type LaunchContext } from '../../../src/service/launchConfigs';

const folder = { path: path.resolve('/work/app'), name: 'app' };
const context: LaunchContext = { folder, home: path.resolve('/home/dev') };

describe('which launch configurations run under mirrord', () => {
  test('MIRRORD_CONFIG_FILE names the config; the env and its MIRRORD_* part come along', () => {
    const [launch] = mirrordLaunches(
      [
        { name: 'plain', type: 'node', request: 'launch' },
        {
          name: 'api',
          type: 'node',
          env: { MIRRORD_CONFIG_FILE: '${workspaceFolder}/.mirrord/api.mirrord.json', MIRRORD_HTTP_HEADER_FILTER: 'x-me: 1', PORT: '8080', N: 3 },
        },
      ],
      context,
    );
    assert.equal(launch.index, 1);
    assert.equal(launch.name, 'api');
    assert.equal(launch.reason, 'config-file-env');
    assert.equal(launch.configSource, 'launch-env');
    assert.equal(launch.configFile, path.join(folder.path, '.mirrord', 'api.mirrord.json'));
    assert.equal(launch.configFileAsWritten, '${workspaceFolder}/.mirrord/api.mirrord.json');
    assert.deepEqual(launch.env, {
      MIRRORD_CONFIG_FILE: '${workspaceFolder}/.mirrord/api.mirrord.json',
      MIRRORD_HTTP_HEADER_FILTER: 'x-me: 1',
      PORT: '8080',
    });
    assert.deepEqual(launch.mirrordEnv, { MIRRORD_CONFIG_FILE: '${workspaceFolder}/.mirrord/api.mirrord.json', MIRRORD_HTTP_HEADER_FILTER: 'x-me: 1' });
  });

  test('other MIRRORD_* variables or MIRRORD_ACTIVE=1 run with the folder default; MIRRORD_ACTIVE=0 never runs under mirrord', () => {
    const folderDefaultConfig = path.join(folder.path, '.mirrord', 'a.mirrord.json');
    const withDefault = { ...context, folderDefaultConfig };
    const env = mirrordLaunchOf({ name: 'e', env: { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true' } }, 0, withDefault);
    assert.equal(env?.reason, 'mirrord-env');
    assert.equal(env?.configSource, 'folder-default');
    assert.equal(env?.configFile, folderDefaultConfig);
    const active = mirrordLaunchOf({ name: 'a', env: { MIRRORD_ACTIVE: '1' } }, 0, withDefault);
    assert.equal(active?.reason, 'mirrord-active-env');
    assert.deepEqual(active?.mirrordEnv, {}, 'MIRRORD_ACTIVE is the extension switch, not a mirrord setting');
    assert.equal(mirrordLaunchOf({ name: 'off', env: { MIRRORD_ACTIVE: '0', MIRRORD_CONFIG_FILE: 'x.json' } }, 0, withDefault), undefined);
    assert.equal(mirrordLaunchOf({ name: 'none', env: { PORT: '1' } }, 0, withDefault), undefined);
    const noDefault = mirrordLaunchOf({ env: { MIRRORD_ACTIVE: '1' } }, 0, context);
    assert.equal(noDefault?.configSource, 'none');
    assert.equal(noDefault?.configFile, undefined);
  });

  test('the mirrord extension enabled runs every configuration; its selected active config wins over MIRRORD_CONFIG_FILE', () => {
    const selected = path.resolve('/work/app/other/picked.mirrord.yaml');
    const launches = mirrordLaunches([{ name: 'a' }, { name: 'b', env: { MIRRORD_CONFIG_FILE: 'b.json' } }, { name: 'c', env: { MIRRORD_ACTIVE: '0' } }], {
      ...context,
      mirrordExtension: { enabled: true, activeConfig: selected },
    });
    assert.deepEqual(
      launches.map((l) => [l.name, l.reason, l.configSource, l.configFile]),
      [
        ['a', 'mirrord-extension', 'mirrord-active-config', selected],
        ['b', 'config-file-env', 'mirrord-active-config', selected],
      ],
    );
    assert.deepEqual(mirrordLaunches([{ name: 'a' }], { ...context, mirrordExtension: { enabled: false } }), []);
  });

  test('bad input: anything that is not a list of objects gives nothing, never a throw', () => {
    for (const bad of [undefined, null, 3, 'x', {}, [null, 1, 'x', [], { env: 'MIRRORD_CONFIG_FILE=x' }, { env: [1] }]])
      assert.deepEqual(mirrordLaunches(bad, context), []);
    const proto = mirrordLaunchOf({ env: JSON.parse('{"__proto__": "x", "MIRRORD_CONFIG_FILE": "a.json"}') }, 0, context);
    assert.equal(Object.getPrototypeOf(proto?.env), Object.prototype);
    assert.equal(proto?.env.__proto__, 'x');
  });
});

describe('launch paths and the folder default', () => {
  test('variables expanded; relative paths from the folder', () => {
    assert.equal(resolveLaunchPath('${workspaceFolder:app}/m.json', context), path.join(folder.path, 'm.json'));
    assert.equal(resolveLaunchPath('${workspaceRoot}/a/../m.json', context), path.join(folder.path, 'm.json'));
    assert.equal(resolveLaunchPath('${userHome}/cfg/${workspaceFolderBasename}.json', context), path.join(path.resolve('/home/dev'), 'cfg', 'app.json'));
    assert.equal(resolveLaunchPath('.mirrord/x.json', context), path.join(folder.path, '.mirrord', 'x.json'));
  });

  test('the first *mirrord.{toml,json,yml,yaml} by localeCompare, as the mirrord extension sorts', () => {
    const dir = path.join(folder.path, '.mirrord');
    const files = ['b.mirrord.json', 'Z.mirrord.json', 'notes.json', 'a.mirrord.txt', 'c.mirrord.toml'].map((f) => path.join(dir, f));
    // localeCompare puts "b" before "Z" (code-unit order would put "Z" first).
    assert.equal(defaultConfigOf(files), path.join(dir, 'b.mirrord.json'));
    assert.equal(defaultConfigOf([path.join(dir, 'notes.json')]), undefined);
    assert.equal(defaultConfigOf([]), undefined);
  });
});
