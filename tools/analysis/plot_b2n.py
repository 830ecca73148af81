"""Base / new / HM bars per dataset and method from the protocol's results.

    python tools/analysis/plot_b2n.py WORK_DIR/b2n_results.json [--published PUBLISHED.json]
        [--out WORK_DIR/b2n_results.png]

RESULTS.json is what ``tools/run_protocol.py`` writes (``{method: {dataset: {base, new, hm,
...}, 'average': ...}}``); PUBLISHED.json, in the same layout, adds hatched bars of published
numbers beside the method's own (the repository ships none: paper tables must be typed in by
whoever cites them). Writes the PNG and a JSON of the plotted numbers next to it.
"""
import argparse
import json
import os.path as osp


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('results', help="the protocol's b2n_results.json")
    parser.add_argument('--published', help='published numbers in the same layout')
    parser.add_argument('--out', help='the PNG (default: next to RESULTS, .png)')
    parser.add_argument('--title')
    return parser.parse_args()


def read_tables(path: str, what: str) -> dict:
    if not osp.isfile(path):
        raise SystemExit(f'{what} not found: {path}')
    with open(path) as f:
        tables = json.load(f)
    bad = [
        m for m, t in tables.items()
        if not isinstance(t, dict) or not all(isinstance(r, dict) for r in t.values())
    ]
    if not isinstance(tables, dict) or bad:
        raise SystemExit(f'{path} is not a B2N results file ({{method: {{dataset: {{base, new, '
                         f'hm}}}}}}, as tools/run_protocol.py writes): check {bad or "its top"}.')
    return tables


def main() -> None:
    args = parse_args()
    from fvgpt.analysis import b2n_bar_values, plot_b2n
    tables = read_tables(args.results, 'Results file')
    published = read_tables(args.published, 'Published numbers') if args.published else None
    out = args.out or osp.splitext(args.results)[0] + '.png'
    png = plot_b2n(tables, out, published=published, title=args.title)
    out_json = osp.splitext(out)[0] + '_bars.json'
    with open(out_json, 'w') as f:
        json.dump(b2n_bar_values(tables, published), f, indent=2)
    print(f'Saved to {png} and {out_json}')


if __name__ == '__main__':
    main()
