/**
 * The exec probe reader: which TCP connections a probe's command opens to the pod, and what it
 * sends. Commands are the shapes people write (each tool family, shell wrappers, hosts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { containerEnv, execCommandText, readExecProbe } from '../../../src/core/k8s/execProbe';
import { parseShellScript } from '../../../src/core/k8s/shellScript';
import type { ExecProbeReading } from '../../../src/core/types';

/** `tool host:port wire[ tls]` per connection, then `unreadable:` and `harmless:` counts. */
function summary(reading: ExecProbeReading): string[] {
  return [
    ...reading.connections.map((c) => `${c.tool} ${c.host}:${c.port} ${c.wire}${c.tls ? ' tls' : ''}`),
    ...(reading.unreadable.length ? [`unreadable:${reading.unreadable.length}`] : []),
    ...(reading.harmless.length ? [`harmless:${reading.harmless.length}`] : []),
  ];
}

function header(reading: ExecProbeReading, name: string, index = 0): string[] {
  return (reading.connections[0]?.requests[index]?.headers ?? []).filter((h) => h.name === name).map((h) => h.value);
}

const sh = (script: string) => ['/bin/sh', '-c', script];

describe('exec probe commands: connections to the pod', () => {
  const cases: [string, string[], string[]][] = [
    // curl
    ['curl with a scheme-less URL', ['curl', '-f', 'localhost:8080/healthz'], ['curl localhost:8080 http']],
    ['curl combined short flags and -o with a value', ['curl', '-fsSo', '/dev/null', 'http://127.0.0.1:9000/ready'], ['curl 127.0.0.1:9000 http']],
    ['curl --url and a default port', ['curl', '--silent', '--url', 'http://localhost/healthz'], ['curl localhost:80 http']],
    ['curl https', ['curl', '-k', 'https://localhost:8443/livez'], ['curl localhost:8443 http tls']],
    ['curl https default port', ['curl', '-k', 'https://127.0.0.1/livez'], ['curl 127.0.0.1:443 http tls']],
    ['curl to [::1]', ['curl', 'http://[::1]:8080/'], ['curl [::1]:8080 http']],
    ['curl to 0.0.0.0', ['curl', '0.0.0.0:3000/api/health'], ['curl 0.0.0.0:3000 http']],
    ['curl through a Unix socket', ['curl', '--unix-socket', '/run/app.sock', 'http://localhost/health'], ['harmless:1']],
    ['curl through a proxy cannot be read', ['curl', '-x', 'http://proxy:3128', 'http://localhost:8080/'], ['unreadable:1']],
    ['curl to another host cannot be told', ['curl', 'http://auth-service:8080/healthz'], ['unreadable:1']],
    ['curl with a variable host', sh('curl -f http://$TARGET_HOST:8080/healthz'), ['unreadable:1']],
    ['curl to the pod itself ($(hostname))', sh('curl -f http://$(hostname):8080/healthz'), ['curl $(hostname):8080 http', 'harmless:1']],
    // wget
    ['wget -qO- with a bare :PORT', ['wget', '-qO-', ':8080/x'], ['wget :8080 http'].map((s) => s.replace(' :', ' localhost:'))],
    ['wget --spider', ['wget', '--spider', '-q', 'http://localhost:8080/healthz'], ['wget localhost:8080 http']],
    ['busybox wget', ['busybox', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8081/healthz'], ['wget 127.0.0.1:8081 http']],
    // gRPC
    ['grpc_health_probe -addr=:PORT', ['/bin/grpc_health_probe', '-addr=:9090'], ['grpc_health_probe localhost:9090 grpc']],
    ['grpc_health_probe -addr PORT with -tls', ['grpc_health_probe', '-addr', 'localhost:50051', '-tls'], ['grpc_health_probe localhost:50051 grpc tls']],
    ['grpc_health_probe on a Unix socket', ['grpc_health_probe', '-addr=unix:///tmp/grpc.sock'], ['harmless:1']],
    // nc
    ['nc -z is a bare connect', ['nc', '-z', 'localhost', '5432'], ['nc localhost:5432 connect']],
    ['nc -zv -w 2', ['nc', '-zv', '-w', '2', '127.0.0.1', '9092'], ['nc 127.0.0.1:9092 connect']],
    ['echo ruok | nc sends data', sh('echo ruok | nc 127.0.0.1 2181 | grep imok'), ['nc 127.0.0.1:2181 tcp', 'harmless:2']],
    // redis
    ['redis-cli ping: default 127.0.0.1:6379', ['redis-cli', 'ping'], ['redis-cli 127.0.0.1:6379 tcp']],
    ['redis-cli -h -p', ['redis-cli', '-h', 'localhost', '-p', '6380', 'ping'], ['redis-cli localhost:6380 tcp']],
    ['valkey-cli with a password variable', sh('valkey-cli -a "$VALKEY_PASSWORD" ping | grep PONG'), ['valkey-cli 127.0.0.1:6379 tcp', 'harmless:1']],
    ['redis-cli on a Unix socket', ['redis-cli', '-s', '/data/redis.sock', 'ping'], ['harmless:1']],
    ['redis-cli with a port from a variable', sh('redis-cli -p $REDIS_PORT ping'), ['unreadable:1']],
    // postgres
    ['pg_isready with no -h: the Unix socket', ['pg_isready', '-U', 'postgres'], ['harmless:1']],
    ['pg_isready -h 127.0.0.1', ['pg_isready', '-h', '127.0.0.1', '-p', '5433'], ['pg_isready 127.0.0.1:5433 tcp']],
    ['pg_isready -h a socket folder', ['pg_isready', '-h', '/var/run/postgresql'], ['harmless:1']],
    // mysql
    ['mysqladmin ping: localhost is the socket', ['mysqladmin', 'ping', '-h', 'localhost'], ['harmless:1']],
    ['mysqladmin ping -h 127.0.0.1', sh('mysqladmin ping -h 127.0.0.1 -uroot -p${MYSQL_ROOT_PASSWORD}'), ['mysqladmin 127.0.0.1:3306 tcp']],
    ['mysqladmin --protocol=tcp on localhost', ['mysqladmin', '--protocol=tcp', 'ping'], ['mysqladmin localhost:3306 tcp']],
    ['mariadb-admin -P', ['mariadb-admin', 'ping', '-h', '127.0.0.1', '-P', '3307'], ['mariadb-admin 127.0.0.1:3307 tcp']],
    // programs given an address
    ['podcli check http', ['podcli', 'check', 'http', 'localhost:9898/healthz'], ['podcli localhost:9898 http']],
    ['podcli check tcp', ['podcli', 'check', 'tcp', 'localhost:9898'], ['podcli localhost:9898 connect']],
    ['an unknown binary with a URL', ['/app/healthcheck', '--url=http://localhost:8080/healthz'], ['healthcheck localhost:8080 http']],
    ['an unknown binary with host:port', ['/bin/check', '127.0.0.1:7000'], ['check 127.0.0.1:7000 unknown']],
    ['an unknown binary with no address', ['/ledger', 'healthcheck'], ['unreadable:1']],
    // /dev/tcp
    ['bash /dev/tcp connect', ['bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/8080'], ['/dev/tcp 127.0.0.1:8080 connect']],
    [
      'bash /dev/tcp with a request',
      ['bash', '-c', 'exec 3<>/dev/tcp/localhost/8080; printf "GET /healthz HTTP/1.0\\r\\n\\r\\n" >&3; cat <&3'],
      ['/dev/tcp localhost:8080 unknown', 'harmless:2'],
    ],
    // no connection
    ['cat a file', ['cat', '/tmp/healthy'], ['harmless:1']],
    ['a test in sh -c', sh('test -f /tmp/ready && ! test -f /tmp/draining'), ['harmless:2']],
    ['pgrep', sh('pgrep -f "node server.js" > /dev/null'), ['harmless:1']],
    ['a script file cannot be read', ['/bin/sh', '/scripts/healthcheck.sh'], ['unreadable:1']],
    ['a variable program', sh('$HEALTHCHECK_CMD'), ['unreadable:1']],
    ['an empty command', [], ['unreadable:1']],
    // wrappers
    ['sh -c with && and ||', sh('curl -fs http://localhost:8080/ready && echo ok || exit 1'), ['curl localhost:8080 http', 'harmless:2']],
    ['bash -ec with exec and timeout', ['bash', '-ec', 'exec timeout 3 wget -qO- http://127.0.0.1:8080/healthz'], ['wget 127.0.0.1:8080 http']],
    ['env assignments and env', sh('FOO=1 env -i PATH=/bin curl -f localhost:8080/'), ['curl localhost:8080 http']],
    [
      'two connections, newline separated',
      sh('nc -z localhost 9000\ncurl -f localhost:9001/healthz'),
      ['nc localhost:9000 connect', 'curl localhost:9001 http'],
    ],
    ['a comment is ignored', sh('# curl localhost:1/\ncat /tmp/ok'), ['harmless:1']],
    ['if/then/fi', sh('if [ -f /tmp/ready ]; then curl -f localhost:8080/; fi'), ['curl localhost:8080 http', 'harmless:1']],
    ['an unterminated quote', sh('curl "localhost:8080/'), ['unreadable:1']],
    // commands that run other commands
    ['curl inside $(...) of a test runs too', sh('test "$(curl -s localhost:8080/healthz)" = ok'), ['curl localhost:8080 http', 'harmless:1']],
    ['wget inside backticks runs too', sh('[ "`wget -qO- http://127.0.0.1:8080/ready`" = ok ]'), ['wget 127.0.0.1:8080 http', 'harmless:1']],
    ['a substitution in an assignment runs too', sh('S=$(curl -s localhost:8080/x); test "$S" = ok'), ['curl localhost:8080 http', 'harmless:2']],
    ['an arithmetic expansion runs no command', sh('test $((1+1)) -eq 2'), ['harmless:1']],
    ['xargs curl: the URL comes from the input', sh('echo http://localhost:8080/healthz | xargs curl -f'), ['unreadable:2', 'harmless:1']],
    [
      'xargs curl with a URL: still more arguments from the input',
      sh('echo x | xargs -n 1 curl -f localhost:8080/a'),
      ['curl localhost:8080 http', 'unreadable:1', 'harmless:1'],
    ],
    ['xargs kill: no connection whatever the input', sh('pgrep app | xargs -r kill -0'), ['harmless:2']],
    ['find -exec curl', ['find', '/tmp', '-maxdepth', '0', '-exec', 'curl', '-f', 'localhost:8080/healthz', ';'], ['curl localhost:8080 http']],
    ['find alone opens no connection', ['find', '/tmp/ready', '-mmin', '-1'], ['harmless:1']],
    ['awk system() cannot be read', ['awk', 'BEGIN { exit system("curl -f localhost:8080/healthz") }'], ['unreadable:1']],
    ['awk printing opens no connection', sh("ps | awk '{print $1}' | grep -q app"), ['harmless:3']],
    ["sed's e command runs a shell command", sh("echo 'curl -f localhost:8080/healthz' | sed e"), ['unreadable:1', 'harmless:1']],
    ["sed's s///e flag runs the result", ['sed', '-n', 's/.*/curl -fs localhost:8080\\/healthz/ep', '/tmp/x'], ['unreadable:1']],
    ['sed -e with an e command after an address', ['sed', '-e', '1e curl -f localhost:8080/healthz', '/tmp/x'], ['unreadable:1']],
    ['a sed script file cannot be read', ['sed', '-f', '/probe.sed', '/tmp/x'], ['unreadable:1']],
    ['sed substituting opens no connection', sh("grep -q ok /tmp/status && sed -n 's/^state=//p' /tmp/status | grep -qx ready"), ['harmless:3']],
    ['sed: an e inside a regex or a replacement is not the command', ['sed', '-n', '/ready/s/e/E/gp', '/tmp/x'], ['harmless:1']],
  ];
  for (const [name, command, expected] of cases) {
    test(name, () => assert.deepEqual(summary(readExecProbe(command)), expected, JSON.stringify(readExecProbe(command), null, 1)));
  }
});

describe('exec probe commands: the request each tool sends', () => {
  test('curl: its own User-Agent, Accept */*, Host, -H headers, method from -X/-I/-d', () => {
    const r = readExecProbe(['curl', '-fsS', '-H', 'X-Probe: yes', 'http://localhost:8080/healthz?full=1']);
    assert.deepEqual(header(r, 'user-agent'), ['curl/8.5.0']);
    assert.deepEqual(header(r, 'accept'), ['*/*']);
    assert.deepEqual(header(r, 'host'), ['localhost:8080']);
    assert.deepEqual(header(r, 'x-probe'), ['yes']);
    const q = r.connections[0].requests[0];
    assert.deepEqual([q.method, q.path, q.pathAndQuery], ['GET', '/healthz', '/healthz?full=1']);
    assert.equal(readExecProbe(['curl', '-I', 'localhost:8080/']).connections[0].requests[0].method, 'HEAD');
    assert.equal(readExecProbe(['curl', '-d', 'x=1', 'localhost:8080/']).connections[0].requests[0].method, 'POST');
    assert.equal(readExecProbe(['curl', '-X', 'put', 'localhost:8080/']).connections[0].requests[0].method, 'PUT');
    assert.deepEqual(header(readExecProbe(['curl', '-A', 'kube-probe/1.30', 'localhost:8080/']), 'user-agent'), ['kube-probe/1.30']);
    assert.deepEqual(header(readExecProbe(['curl', '-H', 'User-Agent: probe/1', 'localhost:8080/']), 'user-agent'), ['probe/1']);
    assert.deepEqual(header(readExecProbe(['curl', '-H', 'User-Agent:', 'localhost:8080/']), 'user-agent'), [], 'an empty header removes it');
  });

  test('wget: GNU and BusyBox variants (User-Agent and --spider method differ)', () => {
    const r = readExecProbe(['wget', '--spider', '--header=X-A: 1', 'http://localhost:8080/healthz']);
    const [gnu, busybox] = r.connections[0].requests;
    assert.deepEqual([gnu.method, busybox.method], ['HEAD', 'GET']);
    assert.deepEqual(header(r, 'user-agent', 0), ['Wget/1.21.4']);
    assert.deepEqual(header(r, 'user-agent', 1), ['Wget']);
    assert.deepEqual(header(r, 'x-a', 1), ['1']);
    assert.deepEqual(header(readExecProbe(['wget', '-U', 'mine', 'localhost:1/']), 'user-agent', 1), ['mine']);
  });

  test('grpc_health_probe: the gRPC health check with its User-Agent and -rpc-header', () => {
    const r = readExecProbe(['grpc_health_probe', '-addr=:9090', '-rpc-header=authorization: x', '-service=shop']);
    const q = r.connections[0].requests[0];
    assert.deepEqual([q.method, q.path], ['POST', '/grpc.health.v1.Health/Check']);
    assert.deepEqual(header(r, 'user-agent'), ['grpc_health_probe grpc-go/1.65.0']);
    assert.deepEqual(header(r, 'authorization'), ['x']);
    assert.deepEqual(header(readExecProbe(['grpc_health_probe', '-addr=:9090', '-user-agent=kube-probe/1.30']), 'user-agent'), [
      'kube-probe/1.30 grpc-go/1.65.0',
    ]);
  });

  test('podcli and unknown programs: Go-http-client/1.1; unknown programs also get a no-User-Agent variant and a guess note', () => {
    assert.deepEqual(header(readExecProbe(['podcli', 'check', 'http', 'localhost:9898/readyz']), 'user-agent'), ['Go-http-client/1.1']);
    const unknown = readExecProbe(['/app/healthcheck', 'http://localhost:8080/healthz']);
    assert.equal(unknown.connections[0].requests.length, 2);
    assert.deepEqual(header(unknown, 'user-agent', 1), []);
    assert.match(unknown.connections[0].requestGuess ?? '', /User-Agent healthcheck sends/);
  });
});

describe('exec probe commands: the container environment', () => {
  test('PGHOST set in env turns pg_isready to TCP; from a secret it is unreadable', () => {
    assert.deepEqual(summary(readExecProbe(['pg_isready'], { PGHOST: '127.0.0.1', PGPORT: '6432' })), ['pg_isready 127.0.0.1:6432 tcp']);
    assert.deepEqual(summary(readExecProbe(['pg_isready'], { PGHOST: undefined })), ['unreadable:1']);
  });

  test('a host variable from status.podIP is the pod itself; a literal value is used', () => {
    const env = containerEnv({
      env: [
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'PORT', value: '8080' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
    });
    assert.deepEqual(env, { POD_IP: { podIP: true }, PORT: '8080', TOKEN: undefined });
    assert.deepEqual(summary(readExecProbe(sh('nc -z $POD_IP $PORT'), env)), ['nc $POD_IP:8080 connect']);
  });

  test('never throws on hostile input', () => {
    for (const bad of [null, 'curl', [1, 2], [''], ['sh', '-c'], ['sh', '-c', '$('], ['sh', '-c', 'a'.repeat(10000)], sh('sh -c "sh -c \\"sh -c x\\""')]) {
      const reading = readExecProbe(bad as unknown);
      assert.ok(Array.isArray(reading.connections) && Array.isArray(reading.unreadable));
    }
  });
});

describe('shell scripts', () => {
  test('words, quotes, operators, redirections', () => {
    const parsed = parseShellScript(`a 'b c' "d \\"e\\" $X" f\\ g && h | i; j > /dev/null 2>&1 || k`);
    assert.equal(parsed.problem, undefined);
    assert.deepEqual(
      parsed.commands.map((c) => c.words.map((w) => w.text)),
      [['a', 'b c', 'd "e" $X', 'f g'], ['h'], ['i'], ['j'], ['k']],
    );
    assert.deepEqual(parsed.commands[3].redirections, ['/dev/null', '1']);
    assert.equal(parsed.commands[0].words[2].expands, true);
    assert.equal(parsed.commands[0].words[1].expands, false);
  });

  test('command substitutions stay one word', () => {
    const parsed = parseShellScript('curl http://$(hostname -i):8080/x');
    assert.deepEqual(
      parsed.commands[0].words.map((w) => w.text),
      ['curl', 'http://$(hostname -i):8080/x'],
    );
  });

  test('a word keeps the scripts of its command substitutions, not of arithmetic', () => {
    const parsed = parseShellScript('test "$(curl -s localhost:8080/x)" = `cat /tmp/want` -a $((1+1)) = 2');
    assert.deepEqual(
      parsed.commands[0].words.map((w) => w.substitutions ?? []),
      [[], ['curl -s localhost:8080/x'], [], ['cat /tmp/want'], [], [], [], []],
    );
  });

  test('here-documents are refused, not misread', () => {
    assert.match(parseShellScript('cat <<EOF\nx\nEOF').problem ?? '', /here-document/);
  });
});

test('execCommandText: the script of a shell wrapper, shortened', () => {
  assert.equal(execCommandText(['sh', '-c', 'curl -f localhost:8080/healthz']), 'curl -f localhost:8080/healthz');
  assert.equal(execCommandText(['redis-cli', 'ping']), 'redis-cli ping');
  assert.equal(execCommandText(['echo', 'a b']), "echo 'a b'");
  assert.equal(execCommandText(['sh', '-c', 'x'.repeat(100)]).length, 72);
});
