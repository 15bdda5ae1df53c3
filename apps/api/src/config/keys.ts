import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdFor } from '@app/twofactor';
import { AppConfig, ConfigError } from './app.config';

export interface VerificationKey {
  kid: string;
  publicKey: KeyObject;
}

export interface SigningKey extends VerificationKey {
  privateKey: KeyObject;
}

export interface Keyring {
  currentKeyId: string;
  keys: Record<string, Buffer>;
}

/** The key material the API runs on. Never logged, never returned. */
export class AppKeys {
  constructor(
    readonly signing: SigningKey,
    readonly factorEncryption: Keyring,
    readonly codeHash: Keyring,
    /** Public keys whose tokens are still accepted during a rotation (JWT_PREVIOUS_PUBLIC_KEY). */
    readonly previousVerification: VerificationKey[] = [],
  ) {}

  /** Every key a token may be signed with, by key id: the current one first. */
  get verification(): VerificationKey[] {
    return [this.signing, ...this.previousVerification.filter((key) => key.kid !== this.signing.kid)];
  }
}

interface GeneratedKeys {
  jwtPrivateKey: string;
  factorEncryptionKey: string;
  codeHashKey: string;
}

/**
 * Reads the keys from the environment. Outside production, missing ones are generated once into
 * DATA_DIR and reused, so tokens and encrypted secrets survive restarts; in production a missing
 * key stops the service rather than silently minting one that the other instances do not share.
 */
export function loadKeys(config: AppConfig): AppKeys {
  const missing = (['JWT_PRIVATE_KEY', 'FACTOR_ENCRYPTION_KEY', 'CODE_HASH_KEY'] as const).filter((name) => !config[name]);
  if (config.isProduction && missing.length) {
    throw new ConfigError(`Invalid configuration:\n  ${missing.map((name) => `${name}: required when NODE_ENV=production`).join('\n  ')}`);
  }
  const generated = missing.length ? devKeys(config.DATA_DIR) : undefined;
  return new AppKeys(
    signingKey(config.JWT_PRIVATE_KEY ?? generated!.jwtPrivateKey),
    keyring('FACTOR_ENCRYPTION_KEY', config.FACTOR_ENCRYPTION_KEY ?? generated!.factorEncryptionKey),
    keyring('CODE_HASH_KEY', config.CODE_HASH_KEY ?? generated!.codeHashKey),
    config.JWT_PREVIOUS_PUBLIC_KEY ? [previousVerificationKey(config.JWT_PREVIOUS_PUBLIC_KEY)] : [],
  );
}

function devKeys(dataDir: string): GeneratedKeys {
  const file = join(dataDir, 'dev-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as GeneratedKeys;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys: GeneratedKeys = {
    jwtPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    factorEncryptionKey: randomBytes(32).toString('base64'),
    codeHashKey: randomBytes(32).toString('base64'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

function signingKey(pem: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem.replace(/\\n/g, '\n'));
  } catch {
    throw new ConfigError('Invalid configuration:\n  JWT_PRIVATE_KEY: not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError('Invalid configuration:\n  JWT_PRIVATE_KEY: must be an EC P-256 key (ES256)');
  }
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { kid: keyIdFor(der), privateKey, publicKey };
}

/**
 * The signing key of the previous rotation, as a public (or private) PEM: it signs nothing, but tokens it
 * signed still verify until they expire, and the JWKS keeps publishing it for other verifiers.
 */
function previousVerificationKey(pem: string): VerificationKey {
  const text = pem.replace(/\\n/g, '\n');
  let publicKey: KeyObject;
  try {
    publicKey = text.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
  } catch {
    throw new ConfigError('Invalid configuration:\n  JWT_PREVIOUS_PUBLIC_KEY: not a PEM public or private key');
  }
  if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError('Invalid configuration:\n  JWT_PREVIOUS_PUBLIC_KEY: must be an EC P-256 key (ES256)');
  }
  return { kid: keyIdFor(publicKey.export({ type: 'spki', format: 'der' })), publicKey };
}

/**
 * FACTOR_ENCRYPTION_KEY and CODE_HASH_KEY may list several keys, comma-separated: the first seals or
 * hashes, all open or match (rotation). Each key's id is derived from the key itself.
 */
function keyring(name: string, value: string): Keyring {
  const keys = value.split(',').map((part) => secretKey(name, part.trim()));
  return { currentKeyId: keyIdFor(keys[0]), keys: Object.fromEntries(keys.map((key) => [keyIdFor(key), key])) };
}

function secretKey(name: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new ConfigError(`Invalid configuration:\n  ${name}: must be 32 bytes, base64-encoded`);
  return key;
}
