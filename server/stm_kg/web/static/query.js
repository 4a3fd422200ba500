/* The query page: YASGUI against this server's endpoint, with the project's prefixes and example queries.
   Autocompleters that would call other sites (Linked Open Vocabularies) are switched off. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("stm-kg-config").textContent);
  var prefixLines = Object.keys(config.prefixes).map(function (p) {
    return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
  });
  var defaultQuery = prefixLines.join("\n") +
    "\n\nSELECT ?subject ?label WHERE {\n  ?subject skos:prefLabel ?label .\n  FILTER(LANG(?label) = \"nl\")\n}\nLIMIT 25\n";

  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: defaultQuery },
    yasr: { prefixes: config.prefixes, defaultPlugin: "table" },
  });
  window.stmKgYasgui = yasgui;

  /* Accessibility repairs of YASGUI's markup (checked with axe-core in tests/accessibility): name the endpoint
     field and the editor's input, and let keyboard users reach the editor's scrolling region. */
  function labelControls() {
    document.querySelectorAll("#yasgui input.autocomplete").forEach(function (input) {
      input.setAttribute("aria-label", "SPARQL endpoint");
    });
    document.querySelectorAll("#yasgui .CodeMirror textarea").forEach(function (area) {
      area.setAttribute("aria-label", "SPARQL query");
    });
    document.querySelectorAll("#yasgui .CodeMirror-scroll").forEach(function (region) {
      region.setAttribute("tabindex", "0");
    });
  }
  labelControls();
  yasgui.on("tabChange", labelControls);
  yasgui.on("tabSelect", labelControls);

  var byName = {};
  config.examples.forEach(function (example) { byName[example.name] = example; });
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var tab = yasgui.getTab();
      tab.setQuery(byName[button.dataset.name].query);
      tab.getYasqe().query();
    });
  });
})();
