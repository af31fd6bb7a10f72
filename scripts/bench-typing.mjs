// Input-to-updated-total latency, shared by the UI benchmarks (bench-ui.mjs, bench-scale.mjs):
// `edits` edits of the first app's user count, each timed in the page from the `input` event
// until the total's text changes (a MutationObserver), the next frame waited for in between.
// Returns the times in milliseconds, sorted.
export async function typingLatency(page, edits) {
  // A first environment of many items opens on its sections' headers (cards::OPEN_ITEMS_UP_TO):
  // open its apps, as a user would, so that the field exists.
  const apps = page.getByTestId('env-0-section-power_apps');
  if ((await apps.getAttribute('open')) === null) await apps.locator('summary').click();
  await page.getByTestId('app-0-0-group-0-users').waitFor();
  const times = await page.evaluate(async (edits) => {
    const input = document.querySelector('[data-testid=app-0-0-group-0-users]');
    const total = document.querySelector('[data-testid=total-billed]');
    const out = [];
    for (let i = 0; i < edits; i++) {
      const changed = new Promise((resolve) => {
        const obs = new MutationObserver(() => { obs.disconnect(); resolve(); });
        obs.observe(total, { characterData: true, childList: true, subtree: true });
      });
      const t0 = performance.now();
      // Alternately large and small, never the same twice in a row, always valid.
      const k = i % 200;
      input.value = String(20 + (k % 2 ? k : 400 - k));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await changed;
      out.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    return out;
  }, edits);
  return times.sort((a, b) => a - b);
}

/** The p-quantile of sorted times. */
export const quantile = (times, p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
