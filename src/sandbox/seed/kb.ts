/** The knowledge base: two FAQ lists and the articles filed in them. */
import { KB_ARTICLES } from '../content.js';
import { htmlToPlain } from '../resources/shared.js';
import type { SeedContext } from './context.js';

export function seedKnowledgeBase({ random, store, at, daysAgo }: SeedContext): void {
  store.collection('faqlists').insert({ id: 1, name: 'Service Desk', showforall: false });
  store.collection('faqlists').insert({ id: 2, name: 'End User Guides', showforall: true });
  KB_ARTICLES.forEach((article, index) =>
    store.collection('kb').insert({
      id: index + 1,
      name: article.title,
      description_html: article.body,
      description: htmlToPlain(article.body),
      resolution_html: article.resolution,
      resolution: htmlToPlain(article.resolution),
      tag_string: article.tags,
      type: 0,
      view_count: random.int(0, 400),
      useful_count: random.int(0, 40),
      date_created: at(daysAgo(700)),
      date_edited: at(daysAgo(120)),
      inactive: false,
      faqlists: [{ id: index % 3 === 0 ? 2 : 1, name: index % 3 === 0 ? 'End User Guides' : 'Service Desk' }],
    }),
  );
}
