/// The Campaign Manager's stylesheet and script, served by `sconto` itself (no CDN, no build step). Their
/// URLs carry a hash of the content, so a browser caches them forever and a new release is fetched at once.
enum Assets {
    static let stylesheetPath = "/assets/manager-\(fingerprint(stylesheet)).css"
    static let scriptPath = "/assets/manager-\(fingerprint(script)).js"

    /// FNV-1a, 64 bits, in hex: a content fingerprint for cache-busting, not a security measure.
    static func fingerprint(_ source: StaticString) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in source.description.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    static let stylesheet: StaticString = """
    :root { --ink: #1b1f24; --muted: #4a5361; --line: #c9d1da; --accent: #0b5cad; --bad: #a4161a; --ok: #1e6b34;
            --paper: #ffffff; --tint: #f3f6f9; font-family: system-ui, sans-serif; color: var(--ink); }
    body { margin: 0; background: var(--tint); line-height: 1.5; }
    a { color: var(--accent); }
    :focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .5rem; }
    header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between;
                 background: var(--ink); color: #fff; padding: .5rem 1rem; }
    header.top a { color: #fff; } header.top nav { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
    main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
    section.card { background: var(--paper); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; margin-bottom: 1rem; }
    h1 { font-size: 1.6rem; margin: .5rem 0 1rem; } h2 { font-size: 1.2rem; margin-top: 0; }
    form.stack { display: grid; gap: .75rem; max-width: 32rem; }
    label { font-weight: 600; display: block; }
    input, select, textarea, button { font: inherit; padding: .45rem .6rem; border: 1px solid var(--muted); border-radius: .3rem; }
    input, select, textarea { width: 100%; box-sizing: border-box; background: #fff; color: var(--ink); }
    input[type=checkbox] { width: auto; margin-right: .4rem; }
    button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
    button.link { background: none; color: #fff; border: 1px solid #fff; }
    table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem; border-bottom: 1px solid var(--line); }
    .table-wrap { overflow-x: auto; }
    .state { display: inline-block; padding: 0 .5rem; border-radius: 1rem; background: var(--tint); border: 1px solid var(--line); }
    .errors { color: var(--bad); border-left: 4px solid var(--bad); padding-left: .75rem; }
    .notice { color: var(--ok); border-left: 4px solid var(--ok); padding-left: .75rem; }
    code.secret, pre { background: var(--tint); padding: .5rem; display: block; overflow-x: auto; word-break: break-all; white-space: pre-wrap; }
    .builder { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
    .entry { border-top: 1px solid var(--line); padding: .4rem 0; } .entry .fields { margin: .4rem 0 0 1.6rem; }
    .entry:not(:has(> label > input.toggle:checked)) > .fields { display: none; }
    fieldset.weekdays { grid-column: 1 / -1; } fieldset.weekdays label { display: inline-block; font-weight: 400; margin-right: .5rem; }
    .builder textarea { min-height: 22rem; font-family: ui-monospace, monospace; font-size: .85rem; }
    progress { width: 100%; height: 1.5rem; }
    fieldset { border: 1px solid var(--line); border-radius: .3rem; } legend { font-weight: 600; }
    nav.subnav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin-bottom: 1rem; }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .75rem; align-items: end; }
    ul.plain { list-style: none; padding: 0; } ul.plain li { border-bottom: 1px solid var(--line); padding: .3rem 0; }
    summary { cursor: pointer; } .state.bad { color: var(--bad); border-color: var(--bad); }
    figure.chart { margin: 0 0 1.5rem; } figure.chart svg { width: 100%; height: auto; display: block; }
    svg .bar { fill: var(--accent); } svg .axis { stroke: var(--muted); } svg .tick { font-size: 11px; fill: var(--muted); }
    form.inline { display: flex; gap: .5rem; flex-wrap: wrap; } form.inline input { width: auto; max-width: 12rem; }
    button.danger { background: var(--bad); border-color: var(--bad); }
    pre.diff > * { display: block; min-height: 1.2em; } pre.diff del { color: var(--bad); text-decoration: none; }
    pre.diff ins { color: var(--ok); text-decoration: none; }
    nav.paging { display: flex; gap: 1rem; align-items: center; margin-top: .75rem; }
    form.search { display: flex; gap: .75rem; align-items: end; flex-wrap: wrap; }
        @media (max-width: 48rem) { .builder { grid-template-columns: 1fr; } main { padding: .5rem; } }
    """

    static let script: StaticString = """
    "use strict";
    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-copy]");
      if (!button) return;
      const source = document.getElementById(button.dataset.copy);
      const done = () => { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.textContent).then(done);
        return;
      }
      // Plain HTTP on another host has no clipboard API: select the text and copy the old way.
      const range = document.createRange();
      range.selectNodeContents(source);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      if (document.execCommand("copy")) done();
    });
    // The rule builder: the server turns the builder's fields into Talang JSON and checks edited JSON, so the
    // browser holds no copy of either rule; this script only asks and shows the answer.
    const builder = document.querySelector("form[data-preview]");
    if (builder) {
      const rules = builder.querySelector("#rules");
      const issues = builder.querySelector("#rule-issues");
      let edited = false;
      let latest = 0;
      const ask = async (mode) => {
        const asked = ++latest;
        const body = new URLSearchParams(new FormData(builder));
        body.set("mode", mode);
        const response = await fetch(builder.dataset.preview, { method: "POST", body, credentials: "same-origin" });
        if (!response.ok) return;
        const answer = await response.json();
        if (asked !== latest) return;  // a later keystroke's answer wins, whatever order they arrive in
        if (mode === "generate") rules.value = answer.rules;
        issues.replaceChildren(...answer.issues.map((issue) => {
          const item = document.createElement("li");
          const where = document.createElement("code");
          where.textContent = issue.pointer;
          item.append(where, " " + issue.message);
          return item;
        }));
        issues.parentElement.hidden = answer.issues.length === 0;
      };
      builder.addEventListener("input", (event) => {
        if (event.target === rules) { edited = true; ask("check"); }
        else if (!edited && event.target.closest("fieldset.rule")) ask("generate");
      });
      builder.querySelector("#regenerate").addEventListener("click", () => { edited = false; ask("generate"); });
      if (!rules.value) ask("generate");
    }
    // A file input fills a text area with the file's text (the form stays url-encoded, CSRF token and all).
    document.addEventListener("change", async (event) => {
      const input = event.target.closest("input[type=file][data-fill]");
      if (!input || !input.files.length) return;
      document.getElementById(input.dataset.fill).value = await input.files[0].text();
    });
    // A coupon batch running in the background: show its progress until it is done, then the coupons.
    const batch = document.getElementById("batch");
    if (batch) {
      const bar = document.getElementById("batch-progress");
      const status = document.getElementById("batch-status");
      const poll = async () => {
        const response = await fetch(batch.dataset.progress, { credentials: "same-origin" });
        if (!response.ok) { status.textContent = "The batch's progress is no longer known; reload the page."; return; }
        const progress = await response.json();
        bar.max = progress.requested;
        bar.value = progress.created;
        status.textContent = `${progress.created} of ${progress.requested} created`;
        if (progress.failure) { status.textContent = "Generation failed: " + progress.failure; return; }
        if (progress.done) { location.replace(batch.dataset.done + progress.created + "#coupons"); return; }
        setTimeout(poll, 250);
      };
      poll();
    }
    """
}
