// Tokens signed by Node's jsonwebtoken for every algorithm it signs (all of authpath's but
// EdDSA, which jsonwebtoken does not offer), with keys made here at test time, printed as JSON:
// [{"library", "alg", "form", "key", "token"}]. The conformance step of `cargo xtask test`
// verifies each with the engine, and refuses it tampered.
//
// Usage: node foreign_tokens.js NOW ISSUER AUDIENCE   (run in target/conformance/node)
"use strict";

const crypto = require("crypto");
const jwt = require("jsonwebtoken");

const [now, issuer, audience] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
const claims = { sub: "alice", role: "user", iat: now, exp: now + 3600, iss: issuer, aud: audience };
const out = [];
const secret = "a secret of thirty-two bytes or more, for HS512 too!!!!!!!!!!!!!!!!!!!!!!!!!!!!";
for (const alg of ["HS256", "HS384", "HS512"]) {
  const token = jwt.sign(claims, secret, { algorithm: alg, noTimestamp: true });
  out.push({ library: "jsonwebtoken", alg, form: "secret", key: secret, token });
}
// Made as PEM, then read into key objects of their own. Node 20 can deadlock when a garbage
// collection frees the key-generation job while a key object that job returned is being
// exported (its destructor takes the lock the export holds: 3 hangs in 150 runs here); keys
// that never were the job's are not exposed to it.
function keyPair(type, options) {
  const pem = crypto.generateKeyPairSync(type, {
    ...options,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { publicKey: crypto.createPublicKey(pem.publicKey), privateKey: crypto.createPrivateKey(pem.privateKey) };
}
const rsa = keyPair("rsa", { modulusLength: 2048 });
const pairs = {
  RS: rsa,
  PS: rsa,
  ES256: keyPair("ec", { namedCurve: "P-256" }),
  ES384: keyPair("ec", { namedCurve: "P-384" }),
};
for (const alg of ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]) {
  const pair = pairs[alg] || pairs[alg.slice(0, 2)];
  const kid = `jsonwebtoken-${alg}`;
  const token = jwt.sign(claims, pair.privateKey, { algorithm: alg, keyid: kid, noTimestamp: true });
  const spki = pair.publicKey.export({ type: "spki", format: "pem" });
  out.push({ library: "jsonwebtoken", alg, form: "spki-pem", key: spki, token });
  const jwk = { ...pair.publicKey.export({ format: "jwk" }), kid };
  out.push({ library: "jsonwebtoken", alg, form: "jwks", key: JSON.stringify({ keys: [jwk] }), token });
  if (alg.startsWith("RS")) {
    const pkcs1 = pair.publicKey.export({ type: "pkcs1", format: "pem" });
    out.push({ library: "jsonwebtoken", alg, form: "pkcs1-pem", key: pkcs1, token });
  }
}
process.stdout.write(JSON.stringify(out));
