"""Python's urllib with HTTPBasicAuthHandler against `authpath serve`.

urllib sends credentials only after a 401 whose Basic challenge names the realm it was
given, so reaching the page proves the challenge is right (RFC 7617 §2).

usage: python3 urllib_basic.py BASE_URL USER PASSWORD
prints: the final status, then the body
"""

import sys
import urllib.error
import urllib.request


def main() -> None:
    base, user, password = sys.argv[1], sys.argv[2], sys.argv[3]
    manager = urllib.request.HTTPPasswordMgr()
    manager.add_password(realm="authpath-demo", uri=base, user=user, passwd=password)
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager))
    try:
        with opener.open(base + "/profile", timeout=10) as response:
            print(response.status)
            print(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        print(error.code)
        print(error.read().decode("utf-8", "replace"))


if __name__ == "__main__":
    main()
