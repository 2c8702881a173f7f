// The official JavaScript SDKs as a user calls them, against the gateway JsSdkIT starts (GEARBOX_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const base = process.env.GEARBOX_URL;
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });
const anthropic = new Anthropic({ baseURL: base, apiKey: 'unused', maxRetries: 0 });

test('moderations.create({input}) names no model and is classified by the default moderation model', async () => {
  const result = await openai.moderations.create({ input: 'I will kill you' });

  assert.equal(result.model, 'sim-moderation');
  assert.equal(result.results[0].flagged, true);
  assert.equal(result.results[0].categories.violence, true);
});

test('messages.create with a dated Claude id is served by its catalog model', async () => {
  for (const model of ['claude-sonnet-4-20250514', 'claude-sonnet-4']) {
    const message = await anthropic.messages.create({
      model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }],
    });

    assert.equal(message.content[0].text, 'Hello! How can I help you today?');
  }
});

test('a turn of only a document goes to an Anthropic model and is a BadRequestError naming it for a chat model', async () => {
  const document = [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'The sky is blue.' } }];

  const message = await anthropic.messages.create({
    model: 'claude-sonnet-4-20250514', max_tokens: 64, messages: [{ role: 'user', content: document }],
  });
  await assert.rejects(anthropic.messages.create({
    model: 'sim-cheap', max_tokens: 64, messages: [{ role: 'user', content: document }],
  }), (e) => e instanceof Anthropic.BadRequestError && /'document' block/.test(e.message));

  assert.equal(message.content[0].type, 'text');
});
