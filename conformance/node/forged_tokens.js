// Asks Node's jsonwebtoken whether it accepts each forged token of authpath's JWT attack
// catalogue. Reads JSON from stdin: [{"case", "token", "key", "algorithms", "issuer",
// "audience"}], `key` an HMAC secret as text or a public key as PEM. Prints JSON:
// [{"case", "accepted", "why"}]. The conformance step of `cargo xtask test` holds the engine
// to the same verdicts.
//
// Usage: node forged_tokens.js < cases.json   (NODE_PATH at target/conformance/node/node_modules)
"use strict";

const jwt = require("jsonwebtoken");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = [];
  for (const item of JSON.parse(input)) {
    try {
      jwt.verify(item.token, item.key, {
        algorithms: item.algorithms,
        issuer: item.issuer,
        audience: item.audience,
      });
      out.push({ case: item.case, accepted: true, why: "" });
    } catch (error) {
      out.push({ case: item.case, accepted: false, why: `${error.name}: ${error.message}` });
    }
  }
  process.stdout.write(JSON.stringify(out));
});
