// Scan to find. A USB barcode scanner is a keyboard: it types the code and Enter into whatever
// has focus, a few milliseconds per key. A burst of at least MIN_CHARS characters, each key
// within GAP_MS of the one before, ended by Enter within GAP_MS too, is taken as a scan, from
// anywhere in the window. People type 80–250 ms apart, and even a fast typist's rolled keys do
// not keep under 40 ms for four keys and Enter, so typing never counts as a scan.
//
// A scan's keys already went into the focused field: they are taken out again (its value as it
// was before the burst), and the Enter never reaches the field. The view may claim the scan
// (a stocktake does, `scans` + preventDefault); otherwise the app opens the asset. A field
// marked `data-scan-here` (the asset form's tag, to label a new asset with a pre-printed label)
// keeps what was scanned into it, and only the scanner's Enter is swallowed (no form submits).
// A field that takes scans itself (`data-scan-input`, the stocktake's) is left alone: its own
// Enter records what is in it, however the keys were timed.

export const GAP_MS = 40;
export const MIN_CHARS = 4;

/** Dispatches a cancelable `scan` event, `detail.code` the text scanned. */
export const scans = new EventTarget();

const editable = (el) => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

/** Starts listening; `fallback(code)` runs for a scan no view claimed. */
export function installScanner(fallback) {
  let code = '';
  let last = -Infinity;
  let field = null;
  let before = '';
  const reset = () => {
    code = '';
    field = null;
  };
  window.addEventListener('keydown', (e) => {
    // A dialog's fields are for typing into; an IME composition is not a scanner.
    if (e.isComposing || document.querySelector('dialog[open]')) return reset();
    // A scanner presses Shift for each capital letter, as a keyboard does: not a break.
    if (e.key === 'Shift' || e.key === 'CapsLock') return;
    if (e.target instanceof Element && e.target.matches('[data-scan-input]')) {
      reset();
      last = -Infinity;
      return;
    }
    const now = performance.now();
    const quick = now - last <= GAP_MS;
    if (e.key === 'Enter') {
      const scanned = quick && code.length >= MIN_CHARS ? code : null;
      const target = field;
      const was = before;
      reset();
      last = -Infinity;
      if (!scanned) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      if (target?.matches('[data-scan-here]')) return;
      if (target && target.value !== was) {
        target.value = was;
        target.dispatchEvent(new Event('input', { bubbles: true }));
      }
      const event = new CustomEvent('scan', { detail: { code: scanned.trim() }, cancelable: true });
      if (scans.dispatchEvent(event)) fallback(scanned.trim());
      return;
    }
    if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) {
      reset();
      last = -Infinity;
      return;
    }
    if (code && quick) {
      code += e.key;
    } else {
      // The first key of what may be a scan: remember the field as it was.
      code = e.key;
      field = editable(e.target) ? e.target : null;
      before = field ? field.value : '';
    }
    last = now;
  }, { capture: true });
}
