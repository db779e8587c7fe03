// Starts Swagger UI or Redoc on the version the page was rendered for, and wires the version
// switcher. Configuration comes from a JSON block, so the page needs no inline script (CSP).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("versioning-app-docs-config").textContent);

  var switcher = document.querySelector("[data-versioning-app-switcher]");
  if (switcher) {
    switcher.addEventListener("change", function () {
      window.location.assign(switcher.value);
    });
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  if (config.page === "swagger" && window.SwaggerUIBundle) {
    window.ui = window.SwaggerUIBundle({
      url: config.schemaUrl,
      dom_id: "#swagger-ui",
      deepLinking: true,
      // Swagger UI would otherwise send the schema to validator.swagger.io.
      validatorUrl: null,
      presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
      layout: "BaseLayout",
      requestInterceptor: function (request) {
        // The API's requests ask for the page's version, as its document says they must
        // (without the header a major's newest minor answers); the document's own fetch does not.
        if (!request.loadSpec && config.versionHeader && !request.headers[config.versionHeader]) {
          request.headers[config.versionHeader] = config.version;
        }
        // "Try it out" with session authentication needs Django's CSRF token on writes.
        var token = cookie(config.csrfCookieName);
        if (token) {
          request.headers[config.csrfHeaderName] = token;
        }
        return request;
      },
    });
  } else if (config.page === "redoc" && window.Redoc) {
    window.Redoc.init(config.schemaUrl, {}, document.getElementById("redoc"));
  }
})();
