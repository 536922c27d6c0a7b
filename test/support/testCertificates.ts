/**
 * Certificates for the fake API server, made with openssl at test time (nothing secret is checked
 * in): a CA, a server certificate valid for 127.0.0.1, and client certificates signed by the CA.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertPair {
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
}

export interface TestCertificates {
  dir: string;
  ca: CertPair;
  server: CertPair;
  /** Issues a client certificate whose CN is the user name (as the API server maps it). */
  issueClient(commonName: string): CertPair;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function pair(dir: string, name: string): CertPair {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return { certFile, keyFile, certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

function signed(dir: string, name: string, subject: string, extFile?: string): CertPair {
  openssl(
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject],
    dir,
  );
  const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2'];
  if (extFile) args.push('-extfile', extFile);
  openssl(args, dir);
  return pair(dir, name);
}

let cached: TestCertificates | undefined;

/** Makes (once per process: openssl is slow) a CA, a server certificate and a client issuer. */
export function testCertificates(): TestCertificates {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'probe-guard-certs-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=probe-guard-test-ca',
    ],
    dir,
  );
  const ext = join(dir, 'server.ext');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  const server = signed(dir, 'server', '/CN=kube-apiserver', ext);
  const clientExt = join(dir, 'client.ext');
  writeFileSync(clientExt, 'extendedKeyUsage=clientAuth\n');
  let serial = 0;
  cached = {
    dir,
    ca: pair(dir, 'ca'),
    server,
    issueClient(commonName: string): CertPair {
      serial += 1;
      return signed(dir, `client-${serial}`, `/CN=${commonName}/O=probe-guard`, clientExt);
    },
  };
  return cached;
}

/** A second, unrelated CA: a client certificate from it must be rejected by the server. */
export function foreignClientCertificate(): CertPair {
  const dir = mkdtempSync(join(tmpdir(), 'probe-guard-foreign-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=foreign-ca',
    ],
    dir,
  );
  return signed(dir, 'intruder', '/CN=intruder');
}
