package dev.gearbox.console;

import dev.gearbox.admin.AccountsAdminHandler;
import dev.gearbox.admin.AdminAuthHandler;
import dev.gearbox.admin.RoutesAdminHandler;
import dev.gearbox.console.whatif.WhatIf;
import dev.gearbox.resilience.Deployments;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The console on the web router: the one place it plugs into the HTTP layer. Pages at {@code /console/*},
 * their files, and an API at {@code /console/api/*} that serves the admin API's own handlers behind a session
 * and CSRF token instead of the bearer token ({@link ConsoleGuard}), so the console shows exactly what the
 * admin API answers.
 */
public final class ConsoleRoutes {

    /**
     * What the console's API serves from the rest of the gateway.
     *
     * @param body reads a request's body, bounded as the admin API's are
     * @param bodyTimeout bounds the time a body may take
     * @param host the address the gateway listens on
     * @param port the port the gateway listens on
     */
    public record Parts(RoutesAdminHandler routes, AccountsAdminHandler accounts, RoutingRules rules, Deployments deployments,
                        LatencyStats latency, Handler<RoutingContext> body, Handler<RoutingContext> bodyTimeout, String host,
                        int port) {
    }

    private ConsoleRoutes() {
    }

    public static void mount(Vertx vertx, Router web, Console console, Parts parts) {
        boolean tokenless = console.adminToken() == null;
        ConsoleGuard guard = new ConsoleGuard(console.sessions(), tokenless);
        SignIn signIn = new SignIn(console.sessions(), console.adminToken());
        Assets assets = console.assets();
        web.route("/console*").handler(SecurityHeaders::add);
        if (tokenless) {
            // The admin API's own rule: direct loopback connections only.
            web.route("/console*").handler(new AdminAuthHandler(null));
        }
        web.route("/console*").handler(guard::host);
        web.get("/console").handler(ConsoleRoutes::home);
        web.get("/console/").handler(ConsoleRoutes::home);
        web.get(ConsoleGuard.LOGIN_PAGE).handler(assets::serve);
        web.get("/console/assets/*").handler(assets::serve);
        web.get("/console/vendor/*").handler(assets::serve);
        for (String page : Assets.PAGES) {
            web.get("/console/" + page).handler(guard::page).handler(assets::serve);
        }

        web.get("/console/api/login").handler(signIn::describe);
        web.post("/console/api/login").handler(parts.bodyTimeout()).handler(parts.body()).handler(signIn::login);
        web.route("/console/api/*").handler(guard::api);
        web.get("/console/api/session").handler(signIn::session);
        web.post("/console/api/logout").handler(signIn::logout);
        web.get("/console/api/overview").handler(new OverviewHandler(console.history())::handle);
        web.get("/console/api/quality").handler(new QualityReader(vertx.createHttpClient(), parts.host(), parts.port(),
                console.adminToken())::handle);
        web.get("/console/api/routes").handler(parts.routes()::show);
        web.post("/console/api/routes/reload").handler(parts.routes()::reload);
        web.get("/console/api/models").handler(new ModelStates(parts.rules(), parts.deployments(), parts.latency())::handle);
        web.post("/console/api/explain").handler(parts.bodyTimeout()).handler(parts.body()).handler(parts.routes()::explain);

        WhatIfHandler whatIf = new WhatIfHandler(new WhatIf(parts.rules(), console.sample(), parts.latency(), TokenCounter.shared()));
        web.get("/console/api/rules").handler(whatIf::rules);
        web.post("/console/api/what-if/validate").handler(parts.bodyTimeout()).handler(parts.body()).handler(whatIf::validate);
        web.post("/console/api/what-if/run").handler(parts.bodyTimeout()).handler(parts.body()).handler(whatIf::run);

        AccountsAdminHandler accounts = parts.accounts();
        web.get("/console/api/keys").handler(accounts::listKeys);
        web.post("/console/api/keys").handler(parts.bodyTimeout()).handler(parts.body()).handler(accounts::createKey);
        web.patch("/console/api/keys/:id").handler(parts.bodyTimeout()).handler(parts.body()).handler(accounts::patchKey);
        web.delete("/console/api/keys/:id").handler(accounts::revokeKey);
        web.get("/console/api/teams").handler(accounts::listTeams);
        web.post("/console/api/teams").handler(parts.bodyTimeout()).handler(parts.body()).handler(accounts::createTeam);
        web.patch("/console/api/teams/:id").handler(parts.bodyTimeout()).handler(parts.body()).handler(accounts::patchTeam);
        web.delete("/console/api/teams/:id").handler(accounts::deleteTeam);
        web.get("/console/api/usage").handler(accounts::usage);
    }

    private static void home(RoutingContext rc) {
        rc.response().setStatusCode(302).putHeader("location", "/console/overview").end();
    }
}
