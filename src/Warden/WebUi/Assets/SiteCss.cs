namespace Warden.WebUi.Assets;

/// <summary>
/// The UI's only stylesheet. Kept in code (not a file) so the single Warden assembly carries it; the
/// brand colours are filled in at startup and the result is served under a content-hashed name.
/// System fonts only: no web fonts, no CDN.
/// </summary>
internal static class SiteCss
{
    public static string Build(string primary, string onPrimary, string link) => Template
        .Replace("%PRIMARY%", primary).Replace("%ON_PRIMARY%", onPrimary).Replace("%LINK%", link);

    private const string Template = """
:root {
  --primary: %PRIMARY%; --on-primary: %ON_PRIMARY%; --link: %LINK%;
  --text: #1b1d21; --muted: #4a5160; --border: #8a92a3; --bg: #f3f4f7; --card: #fff;
  --error: #a3111f; --error-bg: #fdecee; --success: #1c6b36; --success-bg: #e8f5ec; --info-bg: #eef1fb;
  --focus: #111;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--link); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
.brand { max-width: 34rem; margin: 0 auto; padding: 1.25rem 1rem .5rem; }
.brand-link { display: inline-flex; align-items: center; gap: .6rem; color: var(--text); text-decoration: none; font-weight: 600; font-size: 1.15rem; }
.logo { height: 32px; width: auto; }
.card {
  max-width: 34rem; margin: 0 auto 2rem; background: var(--card); padding: 1.5rem 1.5rem 2rem;
  border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.12);
}
.card:focus { outline: none; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .75rem; }
.method + .method { border-top: 1px solid #d5d9e2; margin-top: 1.5rem; }
.field { margin: 0 0 1rem; }
.field label { display: block; font-weight: 600; margin-bottom: .3rem; }
.req { color: var(--error); }
input:not([type=checkbox]):not([type=hidden]), select {
  width: 100%; min-height: 44px; padding: .55rem .75rem; font: inherit; color: var(--text); background: #fff;
  border: 1px solid var(--border); border-radius: 6px;
}
input:focus-visible, select:focus-visible { border-color: var(--focus); }
.invalid input, .invalid select, [aria-invalid=true] { border: 2px solid var(--error); }
.check { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; }
.check input { width: 1.25rem; height: 1.25rem; }
.check label { font-weight: 400; margin: 0; }
.check .node-messages { flex-basis: 100%; }
.btn {
  display: inline-flex; justify-content: center; align-items: center; min-height: 44px; width: 100%;
  padding: .6rem 1rem; margin: .25rem 0 .5rem; font: inherit; font-weight: 600; cursor: pointer;
  border-radius: 6px; border: 2px solid var(--primary); background: #fff; color: var(--link);
}
.btn.primary { background: var(--primary); color: var(--on-primary); }
.btn:hover { filter: brightness(.95); }
.btn[disabled] { opacity: .6; cursor: not-allowed; }
.btn.small { width: auto; min-height: 36px; padding: .3rem .8rem; margin: 0; }
.msg { margin: 0 0 .75rem; padding: .6rem .8rem; border-radius: 6px; background: var(--info-bg); }
.msg-error { background: var(--error-bg); color: var(--error); border-left: 4px solid var(--error); }
.msg-success { background: var(--success-bg); color: var(--success); border-left: 4px solid var(--success); }
.node-messages .msg { margin: .4rem 0 0; padding: .35rem .6rem; font-size: .95rem; }
.messages:empty { display: none; }
.links { margin: 1.5rem 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
.node-img { margin: 0 0 1rem; text-align: center; }
.node-img img { max-width: 100%; height: auto; background: #fff; }
.node-img figcaption { font-size: .9rem; color: var(--muted); }
.codes { display: grid; grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr)); gap: .4rem; padding: 0; list-style: none; }
.codes code, .secret { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.hint { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: .35rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.sessions { list-style: none; padding: 0; margin: 0; }
.sessions li { border: 1px solid #d5d9e2; border-radius: 6px; padding: .75rem; margin-bottom: .75rem; }
.sessions form { margin-top: .5rem; }
@media (max-width: 480px) {
  .brand { padding: .75rem .75rem .25rem; }
  .card { border-radius: 0; box-shadow: none; padding: 1rem .9rem 1.5rem; margin-bottom: 0; }
  h1 { font-size: 1.35rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
""";
}
