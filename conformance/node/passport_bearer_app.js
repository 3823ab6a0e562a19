// Express with passport and passport-http-bearer, `session: false`: the strategy's verify
// callback checks the demo JWT with jsonwebtoken and calls `done(null, false)` when it does
// not verify. Role, scope and owner checks are the app's, answered with `res.sendStatus(403)`.
"use strict";

const express = require("express");
const jwt = require("jsonwebtoken");
const passport = require("passport");
const BearerStrategy = require("passport-http-bearer").Strategy;
const demo = require("./demo");

passport.use(
  new BearerStrategy((token, done) => {
    jwt.verify(
      token,
      demo.key,
      { algorithms: [demo.algorithm], issuer: demo.issuer, audience: demo.audience, clockTolerance: demo.leeway },
      (error, claims) => (error ? done(null, false) : done(null, claims)),
    );
  }),
);

const app = express();
app.use(passport.initialize());
const authenticated = passport.authenticate("bearer", { session: false });

const allowed = (check) => (req, res, next) => (check(req.user, req.params) ? next() : res.sendStatus(403));
const admin = allowed((claims) => claims.role === demo.adminRole);
const owner = allowed((claims, params) => claims.sub === params.id || claims.role === demo.adminRole);
const reports = allowed((claims) => demo.scopes(claims).includes(demo.reportsScope));

app.get("/public", (req, res) => res.json(demo.handled("GET", req.path, null)));
app.get("/profile", authenticated, (req, res) => res.json(demo.handled("GET", req.path, req.user.sub)));
app.get("/admin", authenticated, admin, (req, res) => res.json(demo.handled("GET", req.path, req.user.sub)));
app.delete("/users/:id", authenticated, admin, (req, res) => res.sendStatus(204));
app.get("/users/:id/notes", authenticated, owner, (req, res) =>
  res.json(demo.handled("GET", req.path, req.user.sub)),
);
app.get("/reports", authenticated, reports, (req, res) => res.json(demo.handled("GET", req.path, req.user.sub)));

demo.listen(
  app,
  `passport-http-bearer ${demo.version("passport-http-bearer")} (passport ${demo.version("passport")}, express ${demo.version("express")})`,
);
