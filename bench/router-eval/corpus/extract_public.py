"""Extracts the public prompt sets of the reasoning-need corpus from repository clones (see README.md)."""
import json, gzip, os, random, subprocess, io, re, sys
M = os.environ.get('MIRRORS', 'mirrors') + '/'  # repository clones, each at MIRRORS/<owner>+<name>/repo
def show(repo, path):
    return subprocess.run(['git', '-C', M + repo + '/repo', 'show', 'HEAD:' + path], capture_output=True, check=True).stdout
def out(name, rows):
    with open(os.path.join(os.environ.get('PUBLIC', 'public'), f'{name}.jsonl'), 'w') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(name, len(rows))
rnd = random.Random(7)
# GSM8K train split (MIT)
rows = []
for i, l in enumerate(show('openai+grade-school-math', 'grade_school_math/data/train.jsonl').decode().splitlines()):
    rows.append({'id': f'gsm8k-train-{i}', 'source': 'gsm8k-train', 'kind': 'math/word-problem', 'prompt': json.loads(l)['question']})
out('gsm8k_train', rows)
# MATH via AGIEval (MIT), with level
rows = []
for i, l in enumerate(show('ruixiangcui+AGIEval', 'data/v1/math.jsonl').decode().splitlines()):
    d = json.loads(l)
    rows.append({'id': f'math-{i}', 'source': 'math', 'kind': 'math/competition/' + str(d['other'].get('type')), 'level': d['other'].get('level'), 'prompt': d['question']})
out('math', rows)
def opts(d):
    q = (d.get('passage') or '')
    q = (q + '\n\n' if q else '') + d['question']
    if d.get('options'):
        q += '\n' + '\n'.join(d['options'])
    return q
for name, kind in [('aqua-rat', 'math/aqua'), ('lsat-ar', 'logic/lsat-ar'), ('lsat-lr', 'logic/lsat-lr'), ('sat-math', 'math/sat')]:
    rows = []
    for i, l in enumerate(show('ruixiangcui+AGIEval', f'data/v1/{name}.jsonl').decode().splitlines()):
        rows.append({'id': f'{name}-{i}', 'source': name, 'kind': kind, 'prompt': opts(json.loads(l))})
    out(name.replace('-', '_'), rows)
# TheoremQA (MIT); skip questions that need a picture
rows = []
for i, d in enumerate(json.loads(show('wenhuchen+TheoremQA', 'theoremqa_test.json'))):
    if d.get('Picture'):
        continue
    rows.append({'id': f'theoremqa-{i}', 'source': 'theoremqa', 'kind': 'stem/theorem', 'prompt': d['Question']})
out('theoremqa', rows)
# BBH (MIT, canary: evaluation only)
rows = []
for f in subprocess.run(['git', '-C', M + 'suzgunmirac+BIG-Bench-Hard/repo', 'ls-tree', '--name-only', 'HEAD', 'bbh/'], capture_output=True, text=True).stdout.split():
    if not f.endswith('.json'):
        continue
    task = f[4:-5]
    for i, ex in enumerate(json.loads(show('suzgunmirac+BIG-Bench-Hard', f))['examples']):
        rows.append({'id': f'bbh-{task}-{i}', 'source': 'bbh', 'kind': 'bbh/' + task, 'prompt': ex['input']})
out('bbh_eval_only', rows)
# HumanEval (MIT): basic code
rows = []
for i, l in enumerate(gzip.decompress(show('openai+human-eval', 'data/HumanEval.jsonl.gz')).decode().splitlines()):
    d = json.loads(l)
    rows.append({'id': f'humaneval-{i}', 'source': 'humaneval', 'kind': 'code/basic', 'prompt': 'Complete this Python function:\n\n' + d['prompt']})
out('humaneval', rows)
# self-instruct seed tasks (Apache 2.0)
rows = []
for l in show('yizhongw+self-instruct', 'data/seed_tasks.jsonl').decode().splitlines():
    d = json.loads(l)
    inst = d['instances'][0]['input']
    rows.append({'id': d['id'], 'source': 'self-instruct-seed', 'kind': 'everyday/' + d['name'], 'prompt': d['instruction'] + ('\n\n' + inst if inst else '')})
out('selfinstruct_seed', rows)
# GPTeacher (MIT): roleplay, toolformer, codegen
for path, name, kind, n in [('Roleplay/roleplay-simple-deduped-roleplay-instruct.json', 'gpteacher_roleplay', 'everyday/roleplay', 800),
                            ('Toolformer/toolformer-dedupe-only-dataset.json', 'gpteacher_toolformer', 'everyday/tool-use', 800),
                            ('Codegen/codegen-instruct.json', 'gpteacher_codegen', 'code/basic', 800)]:
    d = json.loads(show('teknium1+GPTeacher', path))
    sample = rnd.sample(d, n)
    rows = [{'id': f'{name}-{i}', 'source': name, 'kind': kind, 'prompt': x['instruction'] + ('\n\n' + x['input'] if x.get('input') else '')} for i, x in enumerate(sample)]
    out(name, rows)
# T0 templates from permissively licensed sources only (CC BY 4.0, MIT, Apache 2.0)
OK = ('cosmos_qa', 'quoref', 'ropes', 'qasc', 'quartz', 'commonsense_qa', 'common_gen', 'duorc', 'kilt_tasks', 'cnn_dailymail', 'social_i_qa')
files = subprocess.run(['git', '-C', M + 'yizhongw+self-instruct/repo', 'ls-tree', '--name-only', 'HEAD', 'data/finetuning/t0_train_50k/data_per_template/'], capture_output=True, text=True).stdout.split()
rows = []
for f in files:
    t = f.rsplit('/', 1)[1][:-6]
    if not t.startswith(OK):
        continue
    lines = show('yizhongw+self-instruct', f).decode().splitlines()
    for i, l in enumerate(rnd.sample(lines, min(12, len(lines)))):
        rows.append({'id': f't0-{t}-{i}', 'source': 't0', 'kind': 'everyday/t0/' + t, 'prompt': json.loads(l)['prompt']})
out('t0_permissive', rows)
