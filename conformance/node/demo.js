// The demo API every conformance app serves: the engine's defaults, written once for the Node
// apps (crates/engine/src/policy.rs `Policy::default_api`, model.rs `Scenario::default`).
"use strict";

const demo = {
  // The demo key is public: it is the engine's `Scenario::default().key`.
  key: "authpath-demo-key",
  algorithm: "HS256",
  issuer: "https://auth.authpath.example",
  audience: "https://api.authpath.example",
  // RFC 7519 §4.1.4 "small" leeway, the engine's `Scenario::default().leeway`.
  leeway: 30,
  users: { alice: "user", bob: "user", carol: "admin" },
  adminRole: "admin",
  reportsScope: "reports:read",

  /** The handler's body, as the engine's `handle` writes it. */
  handled(method, path, user) {
    return { user: user === undefined ? null : user, route: `${method} ${path}` };
  },

  scopes(claims) {
    return String(claims.scope || "").split(/\s+/).filter(Boolean);
  },

  /** The port given as the one argument; the apps listen on 127.0.0.1 only. */
  port() {
    const port = process.argv[2];
    if (process.argv.length !== 3 || !/^\d+$/.test(port)) {
      console.error(`usage: node ${process.argv[1]} PORT`);
      process.exit(2);
    }
    return Number(port);
  },

  /** Listens on 127.0.0.1 and prints the line the recorder waits for. */
  listen(app, framework) {
    const port = demo.port();
    const server = app.listen(port, "127.0.0.1", () => {
      console.log(`ready ${framework} http://127.0.0.1:${port}`);
    });
    server.on("error", (error) => {
      console.error(error.message);
      process.exit(1);
    });
  },

  version(name) {
    return require(`${name}/package.json`).version;
  },
};

module.exports = demo;
