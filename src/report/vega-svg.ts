/**
 * A Vega-Lite chart rendered to an SVG string in Node, for reports that must open
 * offline: no canvas, no browser, and no loader that fetches — charts carry their data
 * inline.
 */
import { Error as ErrorLevel, logger, parse, View, type Loader } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderVegaLiteSvg(spec: object): Promise<string> {
  const { spec: vegaSpec } = compile(spec as TopLevelSpec);
  // Vega logs a failed load (as a warning) and draws on without the data; a report must
  // not show an empty chart as if it were the result, so refusals and errors are kept.
  const problems: string[] = [];
  const refuse = (uri: string): Promise<never> => {
    problems.push(`report charts are offline: inline the data instead of loading ${uri}`);
    return Promise.reject(new Error(`offline: ${uri}`));
  };
  const offlineLoader: Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };
  const log = logger(ErrorLevel, 'error', (_method, _level, args) => problems.push(args.map(String).join(' ')));
  // the headless 'none' renderer: the scenegraph is built, and toSVG serialises it
  const view = new View(parse(vegaSpec), { renderer: 'none', loader: offlineLoader, logger: log });
  try {
    const svg = await view.toSVG();
    if (problems.length > 0) throw new Error(`chart failed to render: ${problems.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}
