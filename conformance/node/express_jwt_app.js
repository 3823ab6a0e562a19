// Express with express-jwt on each protected route and Express's default error handler (no
// error middleware of the app's own). Run with NODE_ENV=production, as the recorder does.
// express-jwt checks who the token is; role, scope and owner checks are the app's, answered
// with `res.sendStatus(403)`.
"use strict";

const express = require("express");
const { expressjwt } = require("express-jwt");
const demo = require("./demo");

const app = express();
const authenticated = expressjwt({
  secret: demo.key,
  algorithms: [demo.algorithm],
  issuer: demo.issuer,
  audience: demo.audience,
  clockTolerance: demo.leeway,
});

const allowed = (check) => (req, res, next) => (check(req.auth, req.params) ? next() : res.sendStatus(403));
const admin = allowed((claims) => claims.role === demo.adminRole);
const owner = allowed((claims, params) => claims.sub === params.id || claims.role === demo.adminRole);
const reports = allowed((claims) => demo.scopes(claims).includes(demo.reportsScope));

app.get("/public", (req, res) => res.json(demo.handled("GET", req.path, null)));
app.get("/profile", authenticated, (req, res) => res.json(demo.handled("GET", req.path, req.auth.sub)));
app.get("/admin", authenticated, admin, (req, res) => res.json(demo.handled("GET", req.path, req.auth.sub)));
app.delete("/users/:id", authenticated, admin, (req, res) => res.sendStatus(204));
app.get("/users/:id/notes", authenticated, owner, (req, res) =>
  res.json(demo.handled("GET", req.path, req.auth.sub)),
);
app.get("/reports", authenticated, reports, (req, res) => res.json(demo.handled("GET", req.path, req.auth.sub)));

demo.listen(app, `express-jwt ${demo.version("express-jwt")} (express ${demo.version("express")})`);
