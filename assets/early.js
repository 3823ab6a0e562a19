// Runs before the first paint: a classic script in <head>, which `cargo xtask dist` puts into
// the page with the hash the Content-Security-Policy allows it by. The page arrives prerendered in one scenario
// (<html data-fragment>, src/pages.rs), and a fragment never reaches the server: a link that
// names another scenario, or asks a full page for ?embed, must never show this one, not even
// for a frame. Such a page stays hidden ('pending', styles/main.css) until the app has applied
// the link; on every page ('booting') a click on a control waits until the app has taken it
// over and is then replayed on the same element (hydration keeps the elements), while a preset,
// a link to its own prerendered page, goes there at once. The app lifts both and replays
// (dom::mark_live). `?theme=` is applied here too, so the first paint has it.
(() => {
  const root = document.documentElement;
  const page = root.getAttribute('data-fragment');
  const hash = location.hash.slice(1);
  const query = location.search.slice(1).split('&');
  const embed = query.some((part) => part === 'embed' || part === 'embed=1' || part === 'embed=true');
  root.classList.add('booting');
  if (page !== null && ((hash !== '' && hash !== page) || (embed && !root.hasAttribute('data-embed')))) {
    root.classList.add('pending');
  }
  const held = [];
  const hold = (event) => {
    if (!root.classList.contains('booting') || !(event.target instanceof Element)) return;
    // Only what the app answers: a link to a page (a preset, an RFC) and a disclosure work on
    // their own.
    const control = event.target.closest('button, label, input[type="checkbox"], input[type="radio"], a[href^="#"]');
    if (control === null) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    held.push(control);
  };
  document.addEventListener('click', hold, true);
  window.authpathReplay = () => {
    document.removeEventListener('click', hold, true);
    for (const control of held.splice(0)) if (control.isConnected) control.click();
  };
  const theme = query.find((part) => part === 'theme=dark' || part === 'theme=light');
  if (theme !== undefined) root.setAttribute('data-theme', theme.slice('theme='.length));
})();
