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

  // SPECTACULAR_SETTINGS' SWAGGER_UI_SETTINGS / REDOC_UI_SETTINGS, under the page's own options.
  var uiSettings = config.uiSettings || {};

  if (config.page === "swagger" && window.SwaggerUIBundle) {
    window.ui = window.SwaggerUIBundle(Object.assign({ deepLinking: true }, uiSettings, {
      url: config.schemaUrl,
      dom_id: "#swagger-ui",
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
    }));
  } else if (config.page === "redoc" && window.Redoc) {
    var root = document.getElementById("redoc");
    // Redoc's sidebar credit loads its logo from cdn.redoc.ly, with no option to turn it off.
    // A mutation observer runs before the browser starts fetching a newly set image source, so
    // the image gets no source: nothing is loaded from another host, and Redoc hides the image
    // when it fails to load.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        var nodes = mutation.type === "attributes" ? [mutation.target] : mutation.addedNodes;
        Array.prototype.forEach.call(nodes, function (node) {
          if (node.nodeType !== 1) { return; }
          var images = node.tagName === "IMG" ? [node] : node.querySelectorAll("img");
          Array.prototype.forEach.call(images, function (image) {
            var src = image.getAttribute("src") || "";
            if (/^(https?:)?\/\//i.test(src) && src.indexOf(window.location.origin + "/") !== 0) {
              image.removeAttribute("src");
              image.dispatchEvent(new Event("error"));
            }
          });
        });
      });
    }).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["src"] });
    window.Redoc.init(config.schemaUrl, uiSettings, root);
  }
})();
