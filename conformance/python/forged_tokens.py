"""Asks PyJWT whether it accepts each forged token of authpath's JWT attack catalogue.

Reads JSON from stdin: [{"case", "token", "key", "algorithms", "issuer", "audience"}], where
`key` is an HMAC secret as text or a public key as PEM. Prints JSON:
[{"case", "accepted", "why"}], `why` being PyJWT's exception when it refuses. The conformance
step of `cargo xtask test` holds the engine to the same verdicts.

Usage: forged_tokens.py < cases.json
"""

import json
import sys
import warnings

import jwt


def main() -> None:
    # A short HMAC secret is the point of the weak-secret attack, not a mistake to warn about.
    warnings.simplefilter("ignore")
    out = []
    for case in json.load(sys.stdin):
        try:
            jwt.decode(
                case["token"],
                case["key"],
                algorithms=case["algorithms"],
                issuer=case["issuer"],
                audience=case["audience"],
            )
            out.append({"case": case["case"], "accepted": True, "why": ""})
        except Exception as error:  # noqa: BLE001 - every refusal is a verdict
            out.append({"case": case["case"], "accepted": False,
                        "why": f"{type(error).__name__}: {error}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
