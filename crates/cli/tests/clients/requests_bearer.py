"""Python `requests` with Bearer tokens against `authpath serve`.

usage: python3 requests_bearer.py BASE_URL VALID_TOKEN EXPIRED_TOKEN
prints one line per case: name, status, and the WWW-Authenticate header (or -)
exits 3 when the `requests` module is missing, so the caller can skip with a reason
"""

import sys

try:
    import requests
except ImportError:
    print("the Python module `requests` is missing (pip install requests)")
    sys.exit(3)


def main() -> None:
    base, valid, expired = sys.argv[1], sys.argv[2], sys.argv[3]
    cases = [
        ("valid", "/profile", valid),
        ("expired", "/profile", expired),
        ("admin", "/admin", valid),
    ]
    for name, path, token in cases:
        response = requests.get(
            base + path, headers={"Authorization": "Bearer " + token}, timeout=10
        )
        challenge = response.headers.get("WWW-Authenticate", "-")
        print(f"{name}\t{response.status_code}\t{challenge}")


if __name__ == "__main__":
    main()
