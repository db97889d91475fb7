import type { TestServer } from './server.ts';

/** One series from the server's registry: `await metric(hearth, 'hearth_rate_limited_total', { kind: 'message' })`. */
export async function metric(hearth: TestServer, name: string, labels: Record<string, string> = {}): Promise<number> {
  const found = hearth.server.services.metrics.registry.getSingleMetric(name);
  if (!found) throw new Error(`no metric ${name}`);
  const { values } = await found.get();
  const match = values.find(
    (v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value) && Object.keys(v.labels).length === Object.keys(labels).length,
  );
  return match?.value ?? 0;
}

/** GET /metrics, parsed into `name{label="value",…}` → value (comments dropped). */
export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`, { headers });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const series = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}
