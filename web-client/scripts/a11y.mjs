// Accessibility check of a page as the browser shows it, with axe-core: every page the end-to-end
// test photographs is checked in the state photographed. A serious or critical violation fails
// the check; moderate and minor ones are counted and listed in the summary.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const FAILING = new Set(['serious', 'critical']);

/**
 * Runs in the page: loads axe once per document, with one rule of ours. WCAG exempts disabled
 * controls from the contrast minimum, and axe follows it; but a disabled "Release seats" or
 * "Hold these seats" still tells the buyer what exists and what is waited for, so it must stay
 * readable: axe's own contrast check, applied to disabled controls.
 */
function installAxe(source) {
  if (window.axe) return;
  // Indirect eval: axe defines itself on the page's global object.
  (0, eval)(source);
  window.axe.configure({
    rules: [
      {
        id: 'disabled-control-contrast',
        // axe's selector engine has no :disabled.
        selector: 'button[disabled], input[disabled]:not([type="radio"]):not([type="checkbox"]), select[disabled]',
        any: ['color-contrast'],
        tags: ['usher'],
        metadata: {
          description: 'Disabled controls keep a 4.5:1 contrast, so they can still be read',
          help: 'Disabled controls must have enough colour contrast to be read',
        },
      },
    ],
  });
}

async function runAxe() {
  const r = await window.axe.run(document, { resultTypes: ['violations'] });
  return {
    violations: r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    })),
    // A rule that threw checked nothing: that is not a pass.
    errors: r.incomplete.filter((v) => v.error).map((v) => `${v.id}: ${v.error.message}`),
  };
}

/** One accessibility checker for a test run: `check` each page, then `summary` and `report`. */
export function createA11y() {
  const pages = [];
  return {
    /** Checks `page` as it is now; throws on a serious or critical violation. */
    async check(page, name) {
      // The source (half a megabyte) crosses over once per document, not once per check.
      if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(installAxe, AXE_SOURCE);
      const { violations, errors } = await page.evaluate(runAxe);
      pages.push({ page: name, url: page.url(), violations });
      if (errors.length) throw new Error(`${name}: axe could not run\n${errors.join('\n')}`);
      const failing = violations.filter((v) => FAILING.has(v.impact));
      if (failing.length) {
        const lines = failing.map(
          (v) =>
            `${v.id} (${v.impact}, ${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}): ${v.help} — ` +
            v.nodes
              .slice(0, 3)
              .map((n) => n.target)
              .join(' | ') +
            // What axe found at the first one, e.g. the contrast ratio and both colours.
            `\n    ${String(v.nodes[0]?.summary ?? '').split('\n').slice(1).join(' ').trim()}`,
        );
        throw new Error(`${name}: accessibility violations\n${lines.join('\n')}`);
      }
    },
    /** Pages checked, violations by impact, and the rule ids of the moderate and minor ones. */
    summary() {
      const byImpact = { critical: 0, serious: 0, moderate: 0, minor: 0 };
      const minorRules = new Set();
      for (const p of pages) {
        for (const v of p.violations) {
          byImpact[v.impact] = (byImpact[v.impact] ?? 0) + 1;
          if (!FAILING.has(v.impact)) minorRules.add(v.id);
        }
      }
      const failing = byImpact.critical + byImpact.serious;
      const minor = byImpact.moderate + byImpact.minor;
      const rules = [...minorRules].sort();
      const line =
        `axe: ${pages.length} pages, ${failing} serious or critical violations; ` +
        `${minor} moderate/minor${rules.length ? ` (${rules.join(', ')})` : ''}`;
      return { line, pages: pages.length, byImpact, minorRules: rules };
    },
    /** The summary and every page's violations, for test-results/axe.json. */
    report() {
      return { axeVersion: require('axe-core/package.json').version, ...this.summary(), results: pages };
    },
  };
}
