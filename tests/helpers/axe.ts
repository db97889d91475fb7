import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

const source = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const FAILING = new Set(['serious', 'critical']);
const SCHEMES = ['light', 'dark'] as const;

export interface AxeFinding {
  scheme: (typeof SCHEMES)[number];
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const findingsOf = (scheme: AxeFinding['scheme'], violations: Result[]): AxeFinding[] =>
  violations
    .filter((v) => FAILING.has(v.impact ?? ''))
    .map((v) => ({ scheme, id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 8) }));

/**
 * Runs axe-core (WCAG 2.1 A/AA rules and best practices) on the page as it is
 * now, once in the light and once in the dark theme, and returns the serious
 * and critical violations. The script goes in through the DevTools protocol
 * (page.evaluate), so the app's CSP needs no exception for it.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  const findings: AxeFinding[] = [];
  try {
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      // Let the theme's styles apply before measuring colours.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
      const results = await page.evaluate(
        () =>
          (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
            resultTypes: ['violations'],
          }) as Promise<AxeResults>,
      );
      findings.push(...findingsOf(scheme, results.violations));
    }
  } finally {
    await page.emulateMedia({ colorScheme: null });
  }
  return findings;
}

/** Fails, listing each rule and element, when axe finds a serious or critical violation in either theme. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const findings = await axeFindings(page);
  if (findings.length === 0) return;
  const lines = findings.map((f) => `  [${f.scheme}] ${f.impact} ${f.id}: ${f.help}\n      ${f.targets.join('\n      ')}`);
  throw new Error(`Accessibility violations on ${label}:\n${lines.join('\n')}`);
}
