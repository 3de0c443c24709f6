// What every screen shares: the app info and the selected account.

export const app = {
  info: null,
  accounts: [],
  accountId: null,
  account() {
    return this.accounts.find((a) => a.id === this.accountId) ?? null;
  },
};
