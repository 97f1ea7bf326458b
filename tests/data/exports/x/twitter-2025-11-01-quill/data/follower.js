window.YTD.follower.part0 = [
  {
    "follower": {
      "accountId": "2000000002",
      "userLink": "https://twitter.com/intent/user?user_id=2000000002"
    }
  },
  {
    "follower": {
      "accountId": "3000000003",
      "userLink": "https://twitter.com/intent/user?user_id=3000000003"
    }
  },
  {
    "follower": {
      "userLink": "https://twitter.com/intent/user?user_id="
    }
  }
]