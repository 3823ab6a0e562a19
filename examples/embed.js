// Sizes each authpath iframe to the height it reports (see docs/embedding.md).
window.addEventListener('message', (event) => {
  // Only trust messages from the authpath origin; here the example is served beside it.
  if (event.origin !== window.location.origin) return;
  const data = event.data;
  if (!data || data.type !== 'authpath:height' || typeof data.height !== 'number') return;
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.contentWindow === event.source) {
      frame.style.height = `${Math.ceil(data.height)}px`;
      frame.dataset.reportedHeight = String(Math.ceil(data.height));
    }
  }
});
