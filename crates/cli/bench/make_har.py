#!/usr/bin/env python3
"""Writes a HAR file of about 10 MB for timing `authpath check` end to end (BENCHMARKS.md):
entries as a browser writes them (browser headers, a Bearer token, a 4 KB JSON body each,
timings), every tenth a 401 without a challenge. Standard library only.

    python3 crates/cli/bench/make_har.py /tmp/big.har
"""

import json
import sys

TARGET_BYTES = 10_400_000

body = json.dumps({"items": [{"id": i, "name": f"item-{i}", "text": "x" * 40} for i in range(60)]})
headers = [
    {"name": name, "value": value}
    for name, value in [
        ("Host", "api.example"),
        ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"),
        ("Accept", "application/json"),
        ("Accept-Language", "en-US,en;q=0.9"),
        ("Authorization", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"),
    ]
]
entries, size = [], 0
while size < TARGET_BYTES:
    index = len(entries)
    entry = {
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "time": 12,
        "request": {
            "method": "GET", "url": f"https://api.example/items/{index}", "httpVersion": "HTTP/1.1",
            "headers": headers, "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0,
        },
        "response": {
            "status": 401 if index % 10 == 0 else 200, "statusText": "", "httpVersion": "HTTP/1.1",
            "headers": [
                {"name": "Content-Type", "value": "application/json"},
                {"name": "Content-Length", "value": str(len(body))},
            ],
            "cookies": [], "content": {"size": len(body), "mimeType": "application/json", "text": body},
            "redirectURL": "", "headersSize": -1, "bodySize": len(body),
        },
        "cache": {},
        "timings": {"send": 1, "wait": 10, "receive": 1},
    }
    size += len(json.dumps(entry)) + 2
    entries.append(entry)
with open(sys.argv[1], "w") as out:
    json.dump({"log": {"version": "1.2", "creator": {"name": "make_har.py", "version": "1"}, "entries": entries}}, out)
print(f"{len(entries)} entries")
