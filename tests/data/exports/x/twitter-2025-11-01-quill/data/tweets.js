window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "1627000000000000001",
      "id": "1627000000000000001",
      "created_at": "Sat Feb 18 19:45:15 +0000 2023",
      "full_text": "@barnaby_t see you at Grimblewood café ☕",
      "favorite_count": "3",
      "retweet_count": "1",
      "in_reply_to_status_id_str": "1626999999999999999",
      "in_reply_to_user_id_str": "2000000002",
      "in_reply_to_screen_name": "barnaby_t",
      "entities": {
        "user_mentions": [
          {
            "name": "Barnaby T",
            "screen_name": "barnaby_t",
            "id_str": "2000000002",
            "indices": [
              "0",
              "10"
            ]
          }
        ]
      }
    }
  }
];
