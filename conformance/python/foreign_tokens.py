"""Tokens signed by PyJWT for every algorithm authpath verifies, with keys made here at test
time, printed as JSON: [{"library", "alg", "form", "key", "token"}]. `key` is what the server
is given (an HMAC secret as text, or a public key as PEM or JWK); the conformance step of
`cargo xtask test` verifies each token with the engine, and refuses it tampered.

Usage: foreign_tokens.py NOW ISSUER AUDIENCE
"""

import json
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa


def main() -> None:
    now, issuer, audience = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    claims = {"sub": "alice", "role": "user", "iat": now, "exp": now + 3600,
              "iss": issuer, "aud": audience}
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    keys = {
        "RS": rsa_key,
        "PS": rsa_key,
        "ES256": ec.generate_private_key(ec.SECP256R1()),
        "ES384": ec.generate_private_key(ec.SECP384R1()),
        "EdDSA": ed25519.Ed25519PrivateKey.generate(),
    }
    out = []
    secret = "a secret of thirty-two bytes or more, for HS512 too!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    for alg in ["HS256", "HS384", "HS512"]:
        token = jwt.encode(claims, secret, algorithm=alg)
        out.append({"library": "PyJWT", "alg": alg, "form": "secret", "key": secret, "token": token})
    for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]:
        private = keys.get(alg) or keys[alg[:2]]
        public = private.public_key()
        token = jwt.encode(claims, private, algorithm=alg, headers={"kid": f"pyjwt-{alg}"})
        spki = public.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        out.append({"library": "PyJWT", "alg": alg, "form": "spki-pem", "key": spki, "token": token})
        algorithm = jwt.get_algorithm_by_name(alg)
        jwk = json.loads(algorithm.to_jwk(public))
        jwk["kid"] = f"pyjwt-{alg}"
        out.append({"library": "PyJWT", "alg": alg, "form": "jwks",
                    "key": json.dumps({"keys": [jwk]}), "token": token})
        if alg.startswith("RS"):
            pkcs1 = public.public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.PKCS1).decode()
            out.append({"library": "PyJWT", "alg": alg, "form": "pkcs1-pem", "key": pkcs1,
                        "token": token})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
