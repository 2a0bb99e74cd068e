import { Type, type TSchema } from '@sinclair/typebox';

const SourceSchema = Type.Object(
  {
    title: Type.String({ description: 'Title of the page the model cited.' }),
    url: Type.String({ description: 'An http(s) URL found by the web search.' }),
  },
  { title: 'FactSource' },
);

function fact<T extends TSchema>(title: string, value: T, description: string) {
  return Type.Object(
    {
      value,
      confidence: Type.Number({ minimum: 0, maximum: 1, description: 'How sure the model is, 0 to 1. Only facts at or above `AUGUR_MIN_CONFIDENCE` are sent.' }),
      sources: Type.Optional(Type.Array(SourceSchema, { description: 'Pages the model cited; left out when there are none.' })),
    },
    { title, description },
  );
}

const NameList = Type.Union([Type.Array(Type.String()), Type.Null()]);

/** `PersonInterestingInfo` (§5.8): keys in the Go order, each fact only when it passes the confidence threshold, `notes` always. */
export const PersonInterestingInfoSchema = Type.Object(
  {
    netWorth: Type.Optional(fact('NetWorthFact', Type.Union([Type.Integer(), Type.Null()]), 'Estimated net worth in USD.')),
    parents: Type.Optional(fact('ParentsFact', NameList, 'Names of biological or adoptive parents.')),
    siblings: Type.Optional(fact('SiblingsFact', NameList, 'Names of known siblings.')),
    children: Type.Optional(fact('ChildrenFact', NameList, 'Names of known children.')),
    spouse: Type.Optional(fact('SpouseFact', Type.String(), 'Current or most recent spouse or partner ("" when unknown).')),
    interestingFact: Type.Optional(fact('InterestingFact', Type.String(), 'One interesting, family-friendly fact.')),
    notes: Type.String({ description: 'A short human note from the model, or "No data available" when no fact passes the threshold.' }),
  },
  { title: 'PersonInterestingInfo' },
);
