window.YTD.account.part0 = [
  {
    "account": {
      "email": "quill@example.invalid",
      "createdVia": "web",
      "username": "Quill_Feather",
      "accountId": "1000000001",
      "createdAt": "2019-09-01T10:00:00.000Z",
      "accountDisplayName": "Zéphyrine 🪶"
    }
  }
]