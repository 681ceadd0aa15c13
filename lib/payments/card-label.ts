/** How a saved card is shown: apart from the database code so that client components can use it. */
export type MaskedCard = { brand: string; last4: string; expMonth: number; expYear: number };

/** "Visa •••• 4242" */
export const maskedCardLabel = (card: Pick<MaskedCard, "brand" | "last4">): string => `${card.brand} •••• ${card.last4}`;

/** "08/2029" */
export const cardExpiryText = (card: Pick<MaskedCard, "expMonth" | "expYear">): string => `${String(card.expMonth).padStart(2, "0")}/${card.expYear}`;
