"""Writes the README's toy-world findings table from a demo work dir (seeds 1-3).

    python tools/toyworld/findings.py work_dirs/toyworld_demo [--readme README.md]

Reads ``b2n_results.json`` and ``conditions.json`` (written by ``tools/toyworld/demo.py``) and
prints a Markdown table of zero-shot ToyCLIP, CoOp and FVG-PT (mean ± std over seeds, HM, the
difference to CoOp) followed by the five conditions with their measured values. With
``--readme`` the text replaces what lies between the README's ``<!-- findings:start -->`` and
``<!-- findings:end -->`` markers.
"""
import argparse
import json
import os.path as osp

START, END = '<!-- findings:start -->', '<!-- findings:end -->'
TITLES = {'zsclip': 'zero-shot ToyCLIP', 'coop': 'CoOp', 'fvgpt': 'FVG-PT (CoOp)'}


def findings_markdown(work_dir: str) -> str:
    """The findings table and the conditions of a demo work dir, as Markdown."""
    paths = [osp.join(work_dir, name) for name in ('b2n_results.json', 'conditions.json')]
    for path in paths:
        if not osp.isfile(path):
            raise SystemExit(f'{path} not found: run the demo with every method first '
                             '(bash tools/toyworld/findings.sh).')
    tables = json.load(open(paths[0]))
    measured = json.load(open(paths[1]))
    coop = tables['coop']['toyworld']
    seeds = ', '.join(map(str, measured['seeds']))
    lines = [
        f'Seeds {seeds}; accuracy in %, mean ± std over seeds; the last column is the '
        'difference to CoOp (base / new / HM).', '', '| method | base | new | HM | vs CoOp |',
        '|---|---|---|---|---|'
    ]
    for name, table in tables.items():
        row = table['toyworld']

        def cell(key):
            return f'{row[key]:.2f} ± {row[key + "_std"]:.2f}' if len(row['seeds']) > 1 \
                else f'{row[key]:.2f}'

        gain = '' if name == 'coop' else ' / '.join(f'{row[k] - coop[k]:+.2f}'
                                                    for k in ('base', 'new', 'hm'))
        lines.append(f'| {TITLES.get(name, name)} | {cell("base")} | {cell("new")} | '
                     f'{row["hm"]:.2f} | {gain} |')
    lines += ['', '| condition | measured | rule | holds |', '|---|---|---|---|']
    for c in measured['conditions']:
        lines.append(f'| {c["number"]}. {c["name"]} | {c["measured"]} | {c["rule"]} | '
                     f'{"yes" if c["holds"] else "**no**"} |')
    shift = measured.get('shift_index', {})
    if 'fvgpt' in shift:
        lines += [
            '', f'Foreground shift index (Grad-CAM, base test images, exact masks): '
            f'zero-shot {shift["zsclip"]:.3f}, CoOp {shift["coop"]:.3f}, '
            f'FVG-PT {shift["fvgpt"]:.3f}.'
        ]
    return '\n'.join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('work_dir')
    parser.add_argument('--readme', help='replace the findings block of this README')
    args = parser.parse_args()
    text = findings_markdown(args.work_dir)
    print(text)
    if args.readme:
        readme = open(args.readme).read()
        if START not in readme or END not in readme:
            raise SystemExit(f'{args.readme} has no {START} ... {END} block to replace.')
        head, rest = readme.split(START, 1)
        tail = rest.split(END, 1)[1]
        with open(args.readme, 'w') as f:
            f.write(f'{head}{START}\n{text}\n{END}{tail}')
        print(f'Wrote the findings into {args.readme}')


if __name__ == '__main__':
    main()
