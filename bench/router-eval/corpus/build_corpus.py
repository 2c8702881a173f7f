"""Builds the training corpus of the shipped reasoning-need score: one JSON object a line with the prompt
("prompt", or "messages" and "tools"), "group", and either "label"/"target" and "weight" (labelled prompts)
or "gain" (routing-eval's measured prompts). Sources, licences and labels: routing-rules/README.md."""
import json, gzip, collections, os, sys
PUB = os.environ.get('PUBLIC', 'public') + '/'
WR = os.environ.get('WRITTEN', 'written') + '/'
rows = []
def add(row, src):
    rows.append(row)
# hand-written prompts (this project), plainly reasoning or plainly cheap
for f in ['train-reason-a', 'train-reason-b', 'train-cheap-a', 'train-cheap-b', 'train-contrast', 'train-more'] + sys.argv[1:]:
    try:
        lines = open(WR + f + '.jsonl').read().splitlines()
    except FileNotFoundError:
        print('missing', f); continue
    for l in lines:
        if not l.strip(): continue
        r = json.loads(l)
        out = {'id': r['id'], 'group': 'written', 'label': r['label']}
        if 'messages' in r:
            out['messages'] = r['messages']
            if r.get('tools'): out['tools'] = r['tools']
        else:
            out['prompt'] = r['prompt']
        out['kind'] = r.get('kind', '')
        rows.append(out)
# public sets: (file, group, target, total weight of the set)
LEVEL = {'Level 1': 0.5, 'Level 2': 0.6, 'Level 3': 0.75, 'Level 4': 0.9, 'Level 5': 1.0}
SETS = [('gsm8k_train', 'gsm8k', 0.7, 600), ('math', 'math', None, 600), ('theoremqa', 'theoremqa', 1.0, 400),
        ('lsat_ar', 'lsat-ar', 1.0, 230), ('lsat_lr', 'lsat-lr', 0.7, 200), ('aqua_rat', 'aqua-rat', 0.7, 200),
        ('sat_math', 'sat-math', 0.3, 200), ('humaneval', 'humaneval', 0.2, 164), ('gpteacher_codegen', 'gpteacher-codegen', 0.15, 400),
        ('gpteacher_toolformer', 'gpteacher-toolformer', 0.05, 300), ('gpteacher_roleplay', 'gpteacher-roleplay', 0.0, 300),
        ('selfinstruct_seed', 'self-instruct-seed', 0.1, 175), ('t0_permissive', 't0', 0.0, 600)]
for f, group, target, total in SETS:
    src = [json.loads(l) for l in open(PUB + f + '.jsonl')]
    weight = round(min(1.0, total / len(src)), 4)
    for r in src:
        t = LEVEL.get(r.get('level'), 0.75) if target is None else target
        rows.append({'id': r['id'], 'group': group, 'prompt': r['prompt'], 'target': t, 'weight': weight})
# routing-eval's dev prompts with measured gains: only the fields the trainer reads, no model answers
for l in open(os.environ.get('DEV', '../shared/routing-eval/dev.jsonl'), encoding='utf-8'):
    r = json.loads(l)
    rows.append({'id': r['id'], 'group': r['benchmark'], 'prompt': r['prompt'], 'contaminated': r['contaminated'],
                 'weak_score': r['weak']['score'], 'strong_score': r['strong']['score']})
with gzip.open(os.environ.get('OUT', 'corpus.jsonl.gz'), 'wt', encoding='utf-8', compresslevel=9) as o:
    for r in rows:
        o.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(rows), collections.Counter(r['group'] for r in rows))
